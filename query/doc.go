// Package query is the SQL engine of Perspective: the dialect of the
// original Perspective's /query API over tables a program describes with a
// Schema and serves through a Database, with joins, :named parameters and
// seed-004 URL filters. The perspective package serves the original's
// fifteen tables with it (Set.Query, Set.QueryBatch, Set.ListInstances).
//
// The pipeline is lexer → parser → AST → compiler (resolves tables and
// columns against the Schema, checks types, infers parameter types, plans
// joins as hash joins on their equality conditions) → a Compiled statement
// that runs any number of times over a Database with different
// parameters, allocating nothing per row while it evaluates WHERE.
//
// Everything goes through an Engine, which holds the schema, the Limits
// and a cache of compiled statements:
//
//	engine := query.NewEngine(schema)
//
//	// The Query API (POST /query): one result per statement.
//	results, err := engine.Batch(ctx, db, requests) // err: too many statements
//	json.NewEncoder(w).Encode(results)              // [{"status":"success","count":…}]
//
//	// Go code that wants structs rather than SQL results.
//	q, err := engine.Compile("SELECT id, name, state FROM instances WHERE state = ?")
//	res, err := q.Run(ctx, db, "launched")
//	type inst struct{ ID, Name, State string }
//	list, err := query.ScanAll[inst](res)
//
//	// Seed-004 URL filters (?hostname=web-1&o=-hostname), read strictly.
//	q, args, err := engine.Filter(r.URL.RawQuery, fieldMap) // errors.Is(err, query.ErrInvalidFilter): a 400
//	res, err := q.Run(ctx, db, args...)
//
// # The dialect
//
// SELECT and EXPLAIN SELECT, several statements separated by ';' in a
// Batch (each gets its own Result). Select lists with *, t.*, qualified or
// bare columns, aliases with or without AS; FROM with aliases, comma joins,
// [INNER|CROSS] JOIN, LEFT|RIGHT [OUTER] JOIN, NATURAL joins, ON or USING;
// WHERE, GROUP BY, HAVING, ORDER BY … ASC|DESC, LIMIT n, LIMIT off, n,
// LIMIT n OFFSET off; DISTINCT. Conditions = != <> < <= > >= <=>, [NOT]
// LIKE (% and _, case-sensitive, \ escapes), [NOT] REGEXP / RLIKE (Go RE2,
// unanchored, case-sensitive), [NOT] IN (…), [NOT] BETWEEN … AND …, IS
// [NOT] NULL, NOT / !, AND / &&, OR / ||, XOR, parentheses, and arithmetic
// + - * / %. Precedence, loosest first: OR, XOR, AND, NOT, comparisons,
// + -, * / %, unary - and !; so AND binds tighter than OR. NULL follows
// SQL's three-valued logic.
//
// Functions: lower, upper, trim, length (bytes), char_length, concat,
// substring/substr (1-based, on characters), abs, round, now (the run's
// start time as ISO-8601 UTC text), coalesce, ifnull, and the aggregates
// count (also count(*) and count(DISTINCT x)), min, max, sum, avg. A query
// with an aggregate and no GROUP BY is one group; non-aggregated columns of
// a group take the values of its first row, as in MySQL.
//
// Keywords and function names are case-insensitive; table and column names
// are exact. Words that are column names of the original's tables (key,
// value, name, state, type, …) are not reserved; quote a reserved word used
// as a name with backticks.
//
// Parameters: ? binds by position, :name and :name: bind by name, and a
// name may contain dots (:instances.name:). A parameter is always a value,
// never SQL text; it takes the type of what it is compared with (a string
// "4096" compared with a number column becomes 4096). Seed 001's example
// "select id, name from projects name regexp :name:" omits WHERE: it is
// rejected as a syntax error whose hint shows the fix ("missing WHERE?
// write: FROM projects WHERE name REGEXP …"), since reading a table alias
// as the start of a condition would silently change other queries.
//
// # Results and errors
//
// A Result has the shape of the Query API (status, count, data.columnName,
// data.row[].value, message). Result column names are the select items as
// written (instances.id stays instances.id), an alias gives the alias, *
// gives bare column names. In a Batch a statement that fails is a Result
// with status syntax_error (lexing and parsing), missing_parameters
// (unbound placeholders) or evaluation_error (unknown tables or columns,
// type mismatches, invalid regular expressions, bounds exceeded, failures
// reading data, cancellation) and a message with the position and a hint:
// `unknown column "nmae" at 1:8 (did you mean "name"?)`. Errors are *Error
// values matching the sentinel errors (ErrSyntax, ErrUnknownColumn,
// ErrLimit, …) with errors.Is.
//
// # Bounds
//
// Every input has a bound (see Limits): rows, values and row combinations
// per statement, statements per Batch, values per field and parameters per
// URL filter. Going over one fails the statement or the request with an
// error matching ErrLimit that names the bound, never the process: the
// 4-way self join of 15 instances (50,625 rows) fails having held 1,000,000
// values, about 34 MB. A run checks its context and its budget every 1,024
// row combinations and stops soon after the context is done.
//
// # Plans
//
// Tables are joined left to right. Each join whose ON (or, for inner and
// comma joins, WHERE) conditions hold equalities between the new table and
// the earlier ones is a hash join on those columns; conditions on one
// table alone filter that table before joining (and may be pushed to a
// FilteringDatabase). Those of them that compare a column with a constant
// or a parameter (=, !=, <, <=, >, >=, LIKE, REGEXP, IN, IS NULL, BETWEEN)
// run as filter kernels over batches of 64 rows, each one tight loop with
// no call per row, so that a scan costs about what a hand-written loop
// does; the other conditions are evaluated row by row on the rows the
// kernels keep. ORDER BY with LIMIT keeps a bounded heap of OFFSET+LIMIT
// rows instead of sorting everything; LIMIT without ORDER BY stops reading
// early. Compiled.Explain (or EXPLAIN SELECT) shows the plan.
package query
