package query

import (
	"strconv"
	"strings"
)

// Operator precedence, loosest first (as in MySQL):
//
//	OR, ||
//	XOR
//	AND, &&
//	NOT
//	= <=> != <> < <= > >= IS LIKE REGEXP IN BETWEEN
//	+ -
//	* / %
//	unary - and !
//
// so `a OR b AND c` is `a OR (b AND c)` and `NOT a = b` is `NOT (a = b)`.
func (p *parser) parseExpr() (node, error) { return p.parseOr() }

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 200

func (p *parser) parseOr() (node, error) {
	l, err := p.parseXor()
	if err != nil {
		return nil, err
	}
	for p.isKeyword("OR") || p.isOp("||") {
		t := p.next()
		r, err := p.parseXor()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{Op: "OR", L: l, R: r, Pos: t.pos}
	}
	return l, nil
}

func (p *parser) parseXor() (node, error) {
	l, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.isKeyword("XOR") {
		t := p.next()
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{Op: "XOR", L: l, R: r, Pos: t.pos}
	}
	return l, nil
}

func (p *parser) parseAnd() (node, error) {
	l, err := p.parseNot(0)
	if err != nil {
		return nil, err
	}
	for p.isKeyword("AND") || p.isOp("&&") {
		t := p.next()
		r, err := p.parseNot(0)
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{Op: "AND", L: l, R: r, Pos: t.pos}
	}
	return l, nil
}

func (p *parser) parseNot(depth int) (node, error) {
	if p.isKeyword("NOT") {
		t := p.next()
		if depth > maxDepth {
			return nil, errorf(ErrSyntax, t.pos, "syntax error: expression nested too deeply")
		}
		x, err := p.parseNot(depth + 1)
		if err != nil {
			return nil, err
		}
		return &unaryExpr{Op: "NOT", X: x, Pos: t.pos}, nil
	}
	return p.parsePredicate()
}

func (p *parser) parsePredicate() (node, error) {
	l, err := p.parseAdditive()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		switch {
		case t.kind == tokOp && (t.text == "=" || t.text == "!=" || t.text == "<>" || t.text == "<" ||
			t.text == "<=" || t.text == ">" || t.text == ">=" || t.text == "<=>"):
			p.next()
			r, err := p.parseAdditive()
			if err != nil {
				return nil, err
			}
			op := t.text
			if op == "<>" {
				op = "!="
			}
			l = &binaryExpr{Op: op, L: l, R: r, Pos: t.pos}
		case t.kind == tokKeyword && t.text == "IS":
			p.next()
			not := p.acceptKeyword("NOT")
			if err := p.expectKeyword("NULL"); err != nil {
				return nil, err
			}
			l = &isNullExpr{Not: not, X: l, Pos: t.pos}
		case t.kind == tokKeyword && (t.text == "NOT" || t.text == "LIKE" || t.text == "REGEXP" ||
			t.text == "RLIKE" || t.text == "IN" || t.text == "BETWEEN"):
			not := false
			if t.text == "NOT" {
				nt := p.peekAt(1)
				if nt.kind != tokKeyword || (nt.text != "LIKE" && nt.text != "REGEXP" && nt.text != "RLIKE" &&
					nt.text != "IN" && nt.text != "BETWEEN") {
					return l, nil
				}
				p.next()
				not = true
			}
			op := p.next()
			e, err := p.parseSpecial(op, l, not)
			if err != nil {
				return nil, err
			}
			l = e
		default:
			return l, nil
		}
	}
}

func (p *parser) parseSpecial(op token, x node, not bool) (node, error) {
	switch op.text {
	case "LIKE", "REGEXP", "RLIKE":
		pat, err := p.parseAdditive()
		if err != nil {
			return nil, err
		}
		return &matchExpr{Regexp: op.text != "LIKE", Not: not, X: x, Pattern: pat, Pos: op.pos}, nil
	case "IN":
		if err := p.expectOp("("); err != nil {
			return nil, err
		}
		if p.isKeyword("SELECT") {
			return nil, errorf(ErrSyntax, p.peek().pos, "syntax error: subqueries are not supported").
				withHint("use a JOIN")
		}
		list, err := p.parseExprList()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		return &inExpr{Not: not, X: x, List: list, Pos: op.pos}, nil
	default: // BETWEEN
		lo, err := p.parseAdditive()
		if err != nil {
			return nil, err
		}
		if err := p.expectKeyword("AND"); err != nil {
			return nil, err
		}
		hi, err := p.parseAdditive()
		if err != nil {
			return nil, err
		}
		return &betweenExpr{Not: not, X: x, Lo: lo, Hi: hi, Pos: op.pos}, nil
	}
}

func (p *parser) parseAdditive() (node, error) {
	l, err := p.parseMultiplicative()
	if err != nil {
		return nil, err
	}
	for p.isOp("+") || p.isOp("-") {
		t := p.next()
		r, err := p.parseMultiplicative()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{Op: t.text, L: l, R: r, Pos: t.pos}
	}
	return l, nil
}

func (p *parser) parseMultiplicative() (node, error) {
	l, err := p.parseUnary(0)
	if err != nil {
		return nil, err
	}
	for p.isOp("*") || p.isOp("/") || p.isOp("%") {
		t := p.next()
		r, err := p.parseUnary(0)
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{Op: t.text, L: l, R: r, Pos: t.pos}
	}
	return l, nil
}

func (p *parser) parseUnary(depth int) (node, error) {
	if p.isOp("-") || p.isOp("!") || p.isOp("+") {
		t := p.next()
		if depth > maxDepth {
			return nil, errorf(ErrSyntax, t.pos, "syntax error: expression nested too deeply")
		}
		x, err := p.parseUnary(depth + 1)
		if err != nil {
			return nil, err
		}
		switch t.text {
		case "+":
			return x, nil
		case "!":
			return &unaryExpr{Op: "NOT", X: x, Pos: t.pos}, nil
		}
		if lit, ok := x.(*literal); ok && lit.Value.kind == KindNumber {
			return &literal{Value: Number(-lit.Value.n), Pos: t.pos}, nil
		}
		return &unaryExpr{Op: "-", X: x, Pos: t.pos}, nil
	}
	return p.parsePrimary()
}

func numberLiteral(t token) (node, error) {
	f, err := strconv.ParseFloat(t.text, 64)
	if err != nil {
		return nil, errorf(ErrSyntax, t.pos, "syntax error: invalid number %s", t.text)
	}
	return &literal{Value: Number(f), Pos: t.pos}, nil
}

func (p *parser) parsePrimary() (node, error) {
	t := p.peek()
	switch t.kind {
	case tokNumber:
		p.next()
		return numberLiteral(t)
	case tokString:
		p.next()
		return &literal{Value: String(t.text), Pos: t.pos}, nil
	case tokParam:
		p.next()
		if t.text == "" {
			p.nParams++
			return &paramRef{Index: p.nParams, Pos: t.pos}, nil
		}
		return &paramRef{Name: t.text, Pos: t.pos}, nil
	case tokKeyword:
		switch t.text {
		case "NULL":
			p.next()
			return &literal{Value: Null(), Pos: t.pos}, nil
		case "TRUE", "FALSE":
			p.next()
			return &literal{Value: Bool(t.text == "TRUE"), Pos: t.pos}, nil
		case "SELECT":
			return nil, errorf(ErrSyntax, t.pos, "syntax error: subqueries are not supported").withHint("use a JOIN")
		}
	case tokOp:
		if t.text == "(" {
			if p.nest >= maxDepth {
				return nil, errorf(ErrSyntax, t.pos, "syntax error: expression nested too deeply")
			}
			p.next()
			p.nest++
			e, err := p.parseExpr()
			p.nest--
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			return e, nil
		}
	case tokIdent:
		p.next()
		if p.isOp("(") {
			return p.parseCall(t)
		}
		if p.acceptOp(".") {
			col, err := p.nameAfterDot("a column name")
			if err != nil {
				return nil, err
			}
			return &columnRef{Table: t.text, Name: col.text, Pos: t.pos}, nil
		}
		return &columnRef{Name: t.text, Pos: t.pos}, nil
	}
	return nil, p.unexpected(t, "an expression")
}

func (p *parser) parseCall(name token) (node, error) {
	if p.nest >= maxDepth {
		return nil, errorf(ErrSyntax, name.pos, "syntax error: expression nested too deeply")
	}
	p.next() // (
	p.nest++
	defer func() { p.nest-- }()
	c := &callExpr{Name: strings.ToLower(name.text), Pos: name.pos}
	if p.acceptOp("*") {
		c.Star = true
	} else if !p.isOp(")") {
		c.Distinct = p.acceptKeyword("DISTINCT")
		args, err := p.parseExprList()
		if err != nil {
			return nil, err
		}
		c.Args = args
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	return c, nil
}
