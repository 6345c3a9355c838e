// Package query is the SQL engine of Perspective: the dialect of the
// original Perspective's /query API over its fifteen relational tables
// (instances, projects, flavors, images, networks, keypairs, their metadata,
// quota and link tables; see PerspectiveSchema), with joins, :named
// parameters and seed-004 URL filters.
//
// The pipeline is lexer → parser → AST (Statement) → compiler (resolves
// tables and columns against a Schema, checks types, infers parameter
// types, plans joins as hash joins on their equality conditions) → a
// Compiled statement that runs any number of times over a Database with
// different parameters, allocating nothing per row while it evaluates
// WHERE.
//
// A typical use, in a program that serves the Query API:
//
//	engine := query.NewEngine(query.PerspectiveSchema())
//	results := engine.Exec(ctx, db,
//		"SELECT id, name FROM projects WHERE name REGEXP :name: ORDER BY name",
//		query.Named("name", "selenium"))
//	json.NewEncoder(w).Encode(results) // [{"status":"success","count":…}]
//
// and in Go code that wants structs rather than SQL results:
//
//	q, err := query.Compile(query.PerspectiveSchema(),
//		"SELECT id, name, state FROM instances WHERE state = ?")
//	res, err := q.Run(ctx, db, "launched")
//	type inst struct{ ID, Name, State string }
//	list, err := query.ScanAll[inst](res)
//
// # The dialect
//
// SELECT and EXPLAIN SELECT, several statements separated by ';' (each gets
// its own Result). Select lists with *, t.*, qualified or bare columns,
// aliases with or without AS; FROM with aliases, comma joins, [INNER|CROSS]
// JOIN, LEFT|RIGHT [OUTER] JOIN, NATURAL joins, ON or USING; WHERE, GROUP
// BY, HAVING, ORDER BY … ASC|DESC, LIMIT n, LIMIT off, n, LIMIT n OFFSET off;
// DISTINCT. Conditions = != <> < <= > >= <=>, [NOT] LIKE (% and _,
// case-sensitive, \ escapes), [NOT] REGEXP / RLIKE (Go RE2, unanchored,
// case-sensitive), [NOT] IN (…), [NOT] BETWEEN … AND …, IS [NOT] NULL,
// NOT / !, AND / &&, OR / ||, XOR, parentheses, and arithmetic + - * / %.
// Precedence, loosest first: OR, XOR, AND, NOT, comparisons, + -, * / %,
// unary - and !; so AND binds tighter than OR. NULL follows SQL's
// three-valued logic.
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
// gives bare column names. Engine.Exec and Engine.Batch never fail as a
// whole: a statement that fails is a Result with status syntax_error
// (lexing and parsing), missing_parameters (unbound placeholders) or
// evaluation_error (unknown tables or columns, type mismatches, invalid
// regular expressions, failures reading data) and a message with the
// position and a hint: `unknown column "nmae" at 1:8 (did you mean
// "name"?)`. Errors are *Error values matching the sentinel errors
// (ErrSyntax, ErrUnknownColumn, …) with errors.Is.
//
// # Plans
//
// Tables are joined left to right. Each join whose ON (or, for inner and
// comma joins, WHERE) conditions hold equalities between the new table and
// the earlier ones is a hash join on those columns; conditions on one
// table alone filter that table before joining (and may be pushed to a
// FilteringDatabase). ORDER BY with LIMIT keeps a bounded heap of
// OFFSET+LIMIT rows instead of sorting everything; LIMIT without ORDER BY
// stops reading early. Compiled.Explain (or EXPLAIN SELECT) shows the plan.
//
// # URL filters
//
// FilterSQL and CompileFilter turn seed-004 query strings
// (?hostname=web-1&state=launched&o=-hostname) into the equivalent SELECT,
// with a FieldMap mapping field names to columns (DefaultFieldMap for the
// Perspective instance listing); ClientCondition builds conditions the way
// the original client does (^x$ is =, %x% is LIKE, anything else REGEXP).
package query
