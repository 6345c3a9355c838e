package query

import (
	"strings"
)

// parse parses one statement (a trailing ';' is allowed). Several
// statements are an error: Engine.Batch runs those.
func parse(src string) (*statement, error) {
	pieces, err := splitStatements(src)
	if err != nil {
		return nil, err
	}
	if len(pieces) == 0 {
		return nil, errorf(ErrSyntax, Pos{Line: 1, Col: 1}, "syntax error: empty query")
	}
	if len(pieces) > 1 {
		return nil, errorf(ErrSyntax, pieces[1].pos, "syntax error: several statements").
			withHint("send one statement; a Query API request may hold several")
	}
	return parseTokens(pieces[0].text, pieces[0].toks)
}

// script is the statements of one ';'-separated text: err is set when the
// text cannot be cut into statements at all (a lexical error such as an
// unterminated string, after which no ';' can be trusted); otherwise there
// is one statement or one error per statement, in order.
type script struct {
	stmts []*statement
	errs  []error
	err   error
}

// results is how many results the script gives.
func (s script) results() int {
	if s.err != nil {
		return 1
	}
	return len(s.stmts)
}

// parseScript parses every ';'-separated statement of src; a statement
// that does not parse stops nothing but itself.
func parseScript(src string) script {
	pieces, err := splitStatements(src)
	if err != nil {
		return script{err: err}
	}
	if len(pieces) == 0 {
		return script{err: errorf(ErrSyntax, Pos{Line: 1, Col: 1}, "syntax error: empty query")}
	}
	sc := script{stmts: make([]*statement, len(pieces)), errs: make([]error, len(pieces))}
	for i, p := range pieces {
		sc.stmts[i], sc.errs[i] = parseTokens(p.text, p.toks)
	}
	return sc
}

type piece struct {
	text string
	pos  Pos
	toks []token
}

// splitStatements cuts src at top-level semicolons; empty statements are
// dropped. A lexical error anywhere fails the whole text.
func splitStatements(src string) ([]piece, error) {
	l := newLexer(src)
	var out []piece
	var cur []token
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		if t.kind == tokSemicolon || t.kind == tokEOF {
			if len(cur) > 0 {
				eof := token{kind: tokEOF, pos: t.pos, off: t.off, end: t.off}
				cur = append(cur, eof)
				out = append(out, piece{text: src[cur[0].off:t.off], pos: cur[0].pos, toks: cur})
				cur = nil
			}
			if t.kind == tokEOF {
				return out, nil
			}
			continue
		}
		if cur == nil {
			cur = make([]token, 0, 48)
		}
		cur = append(cur, t)
	}
}

// parser is a recursive-descent parser over the tokens of one statement.
type parser struct {
	src     string
	toks    []token
	i       int
	nParams int
	nest    int // open parentheses, bounded by maxDepth
}

func parseTokens(text string, toks []token) (st *statement, err error) {
	// Offsets in toks are relative to the whole script; p.src is the
	// statement's own text, which starts at the first token.
	p := &parser{src: text, toks: toks}
	st, err = p.parseStatement(toks[0].off)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.unexpected(t, "end of statement")
	}
	st.Text = strings.TrimSpace(text)
	return st, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) isKeyword(kw ...string) bool {
	t := p.peek()
	if t.kind != tokKeyword {
		return false
	}
	for _, k := range kw {
		if t.text == k {
			return true
		}
	}
	return false
}

func (p *parser) acceptKeyword(kw string) bool {
	if p.isKeyword(kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) isOp(op string) bool {
	t := p.peek()
	return t.kind == tokOp && t.text == op
}

func (p *parser) acceptOp(op string) bool {
	if p.isOp(op) {
		p.i++
		return true
	}
	return false
}

func describe(t token) string {
	switch t.kind {
	case tokEOF:
		return "end of statement"
	case tokKeyword:
		return t.text
	case tokIdent:
		return "name " + quoteName(t.text)
	case tokString:
		return "string"
	case tokNumber:
		return "number " + t.text
	case tokParam:
		return "parameter"
	default:
		return "\"" + t.text + "\""
	}
}

func quoteName(s string) string { return "\"" + s + "\"" }

func (p *parser) unexpected(t token, want string) *Error {
	return errorf(ErrSyntax, t.pos, "syntax error: unexpected %s, expected %s", describe(t), want)
}

func (p *parser) expectKeyword(kw string) error {
	if !p.acceptKeyword(kw) {
		return p.unexpected(p.peek(), kw)
	}
	return nil
}

func (p *parser) expectOp(op string) error {
	if !p.acceptOp(op) {
		return p.unexpected(p.peek(), "\""+op+"\"")
	}
	return nil
}

func (p *parser) ident(what string) (token, error) {
	t := p.peek()
	if t.kind != tokIdent {
		e := p.unexpected(t, what)
		if t.kind == tokKeyword {
			e.withHint("%s is a keyword; quote a name that collides with one as `%s`", t.text, strings.ToLower(t.text))
		}
		return t, e
	}
	p.i++
	return t, nil
}

// nameAfterDot reads a name after '.', where keywords are names too
// (instance_metadata.key, t.order).
func (p *parser) nameAfterDot(what string) (token, error) {
	t := p.peek()
	if t.kind == tokKeyword {
		p.i++
		orig := p.src[t.off-p.toks[0].off : t.end-p.toks[0].off]
		t.text = orig
		t.kind = tokIdent
		return t, nil
	}
	return p.ident(what)
}

func (p *parser) parseStatement(base int) (*statement, error) {
	st := &statement{Pos: p.peek().pos}
	if p.acceptKeyword("EXPLAIN") {
		st.Explain = true
	}
	if !p.isKeyword("SELECT") {
		t := p.peek()
		e := p.unexpected(t, "SELECT")
		if t.kind == tokIdent || t.kind == tokKeyword {
			e.Msg = "syntax error: only SELECT statements are supported, got " + describe(t)
		}
		return nil, e
	}
	p.next()
	if p.acceptKeyword("DISTINCT") {
		st.Distinct = true
	} else {
		p.acceptKeyword("ALL")
	}
	if err := p.parseSelectList(st, base); err != nil {
		return nil, err
	}
	if p.acceptKeyword("FROM") {
		if err := p.parseFrom(st); err != nil {
			return nil, err
		}
	}
	if p.acceptKeyword("WHERE") {
		e, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		st.Where = e
	}
	if p.acceptKeyword("GROUP") {
		if err := p.expectKeyword("BY"); err != nil {
			return nil, err
		}
		list, err := p.parseExprList()
		if err != nil {
			return nil, err
		}
		st.GroupBy = list
	}
	if p.acceptKeyword("HAVING") {
		e, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		st.Having = e
	}
	if p.acceptKeyword("ORDER") {
		if err := p.expectKeyword("BY"); err != nil {
			return nil, err
		}
		for {
			e, err := p.parseExpr()
			if err != nil {
				return nil, err
			}
			item := orderItem{node: e}
			if p.acceptKeyword("DESC") {
				item.Desc = true
			} else {
				p.acceptKeyword("ASC")
			}
			st.OrderBy = append(st.OrderBy, item)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if p.acceptKeyword("LIMIT") {
		if err := p.parseLimit(st); err != nil {
			return nil, err
		}
	}
	return st, nil
}

func (p *parser) parseLimit(st *statement) error {
	first, err := p.parseLimitValue()
	if err != nil {
		return err
	}
	switch {
	case p.acceptOp(","):
		second, err := p.parseLimitValue()
		if err != nil {
			return err
		}
		st.Offset, st.Limit = first, second
	case p.acceptKeyword("OFFSET"):
		off, err := p.parseLimitValue()
		if err != nil {
			return err
		}
		st.Limit, st.Offset = first, off
	default:
		st.Limit = first
	}
	return nil
}

func (p *parser) parseLimitValue() (node, error) {
	t := p.peek()
	switch t.kind {
	case tokNumber:
		p.next()
		return numberLiteral(t)
	case tokParam:
		return p.parsePrimary()
	}
	return nil, p.unexpected(t, "a number or a parameter")
}

func (p *parser) parseSelectList(st *statement, base int) error {
	for {
		start := p.peek()
		item := selectItem{Pos: start.pos}
		switch {
		case p.isOp("*"):
			p.next()
			item.Star = true
		case p.peek().kind == tokIdent && p.peekAt(1).kind == tokOp && p.peekAt(1).text == "." &&
			p.peekAt(2).kind == tokOp && p.peekAt(2).text == "*":
			item.Star, item.StarTable = true, p.next().text
			p.next()
			p.next()
		default:
			e, err := p.parseExpr()
			if err != nil {
				return err
			}
			item.node = e
		}
		end := p.toks[p.i-1].end
		item.Text = strings.TrimSpace(p.src[start.off-base : end-base])
		if !item.Star {
			if p.acceptKeyword("AS") {
				t := p.peek()
				if t.kind != tokIdent && t.kind != tokString {
					return p.unexpected(t, "an alias")
				}
				p.next()
				item.Alias = t.text
			} else if t := p.peek(); t.kind == tokIdent || t.kind == tokString {
				p.next()
				item.Alias = t.text
			}
		}
		st.Items = append(st.Items, item)
		if !p.acceptOp(",") {
			return nil
		}
	}
}

func (p *parser) parseTableRef(item *fromItem) error {
	t, err := p.ident("a table name")
	if err != nil {
		return err
	}
	item.Table, item.Pos = t.text, t.pos
	if p.acceptKeyword("AS") {
		a, err := p.ident("a table alias")
		if err != nil {
			return err
		}
		item.Alias = a.text
	} else if p.peek().kind == tokIdent {
		item.Alias = p.next().text
		// Seed 001's example `FROM projects name REGEXP :name:` omits WHERE;
		// the word taken as an alias is followed by a condition operator.
		if p.startsCondition() {
			return p.unexpected(p.peek(), "a join or WHERE").
				withHint("missing WHERE? write: FROM %s WHERE %s %s …", item.Table, item.Alias, describeOp(p.peek()))
		}
	}
	return nil
}

func describeOp(t token) string {
	if t.kind == tokKeyword || t.kind == tokOp {
		return t.text
	}
	return describe(t)
}

// startsCondition reports whether the next token can only continue a
// condition (an operator after a column).
func (p *parser) startsCondition() bool {
	t := p.peek()
	switch t.kind {
	case tokKeyword:
		switch t.text {
		case "LIKE", "REGEXP", "RLIKE", "IN", "BETWEEN", "IS", "NOT":
			return true
		}
	case tokOp:
		switch t.text {
		case "=", "!=", "<>", "<", "<=", ">", ">=", "<=>":
			return true
		}
	}
	return false
}

func (p *parser) parseFrom(st *statement) error {
	var first fromItem
	if err := p.parseTableRef(&first); err != nil {
		return err
	}
	st.From = append(st.From, first)
	for {
		var item fromItem
		comma := false
		switch {
		case p.acceptOp(","):
			item.Join, comma = joinCross, true
		case p.isKeyword("JOIN", "INNER", "CROSS", "LEFT", "RIGHT", "NATURAL"):
			if p.acceptKeyword("NATURAL") {
				item.Natural = true
			}
			switch {
			case p.acceptKeyword("INNER"):
				item.Join = joinInner
			case p.acceptKeyword("CROSS"):
				item.Join = joinCross
			case p.acceptKeyword("LEFT"):
				item.Join = joinLeft
				p.acceptKeyword("OUTER")
			case p.acceptKeyword("RIGHT"):
				item.Join = joinRight
				p.acceptKeyword("OUTER")
			default:
				item.Join = joinInner
			}
			if err := p.expectKeyword("JOIN"); err != nil {
				return err
			}
		default:
			return nil
		}
		if err := p.parseTableRef(&item); err != nil {
			return err
		}
		if item.Natural {
			if p.isKeyword("ON", "USING") {
				return errorf(ErrSyntax, p.peek().pos, "syntax error: a NATURAL join takes no %s", p.peek().text)
			}
		} else if !comma {
			switch {
			case p.acceptKeyword("ON"):
				e, err := p.parseExpr()
				if err != nil {
					return err
				}
				item.On = e
			case p.acceptKeyword("USING"):
				if err := p.expectOp("("); err != nil {
					return err
				}
				for {
					t, err := p.ident("a column name")
					if err != nil {
						return err
					}
					item.Using = append(item.Using, t.text)
					if !p.acceptOp(",") {
						break
					}
				}
				if err := p.expectOp(")"); err != nil {
					return err
				}
			case item.Join == joinLeft || item.Join == joinRight:
				return p.unexpected(p.peek(), "ON or USING")
			}
		}
		st.From = append(st.From, item)
	}
}

func (p *parser) parseExprList() ([]node, error) {
	var list []node
	for {
		e, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		list = append(list, e)
		if !p.acceptOp(",") {
			return list, nil
		}
	}
}
