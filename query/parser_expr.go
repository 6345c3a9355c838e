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
func (p *parser) parseExpr() (Expr, error) { return p.parseOr() }

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 200

func (p *parser) parseOr() (Expr, error) {
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
		l = &Binary{Op: "OR", L: l, R: r, Pos: t.pos}
	}
	return l, nil
}

func (p *parser) parseXor() (Expr, error) {
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
		l = &Binary{Op: "XOR", L: l, R: r, Pos: t.pos}
	}
	return l, nil
}

func (p *parser) parseAnd() (Expr, error) {
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
		l = &Binary{Op: "AND", L: l, R: r, Pos: t.pos}
	}
	return l, nil
}

func (p *parser) parseNot(depth int) (Expr, error) {
	if p.isKeyword("NOT") {
		t := p.next()
		if depth > maxDepth {
			return nil, errorf(ErrSyntax, t.pos, "syntax error: expression nested too deeply")
		}
		x, err := p.parseNot(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Unary{Op: "NOT", X: x, Pos: t.pos}, nil
	}
	return p.parsePredicate()
}

func (p *parser) parsePredicate() (Expr, error) {
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
			l = &Binary{Op: op, L: l, R: r, Pos: t.pos}
		case t.kind == tokKeyword && t.text == "IS":
			p.next()
			not := p.acceptKeyword("NOT")
			if err := p.expectKeyword("NULL"); err != nil {
				return nil, err
			}
			l = &IsNull{Not: not, X: l, Pos: t.pos}
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

func (p *parser) parseSpecial(op token, x Expr, not bool) (Expr, error) {
	switch op.text {
	case "LIKE", "REGEXP", "RLIKE":
		pat, err := p.parseAdditive()
		if err != nil {
			return nil, err
		}
		return &Match{Regexp: op.text != "LIKE", Not: not, X: x, Pattern: pat, Pos: op.pos}, nil
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
		return &In{Not: not, X: x, List: list, Pos: op.pos}, nil
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
		return &Between{Not: not, X: x, Lo: lo, Hi: hi, Pos: op.pos}, nil
	}
}

func (p *parser) parseAdditive() (Expr, error) {
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
		l = &Binary{Op: t.text, L: l, R: r, Pos: t.pos}
	}
	return l, nil
}

func (p *parser) parseMultiplicative() (Expr, error) {
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
		l = &Binary{Op: t.text, L: l, R: r, Pos: t.pos}
	}
	return l, nil
}

func (p *parser) parseUnary(depth int) (Expr, error) {
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
			return &Unary{Op: "NOT", X: x, Pos: t.pos}, nil
		}
		if lit, ok := x.(*Literal); ok && lit.Value.kind == KindNumber {
			return &Literal{Value: Number(-lit.Value.n), Pos: t.pos}, nil
		}
		return &Unary{Op: "-", X: x, Pos: t.pos}, nil
	}
	return p.parsePrimary()
}

func numberLiteral(t token) (Expr, error) {
	f, err := strconv.ParseFloat(t.text, 64)
	if err != nil {
		return nil, errorf(ErrSyntax, t.pos, "syntax error: invalid number %s", t.text)
	}
	return &Literal{Value: Number(f), Pos: t.pos}, nil
}

func (p *parser) parsePrimary() (Expr, error) {
	t := p.peek()
	switch t.kind {
	case tokNumber:
		p.next()
		return numberLiteral(t)
	case tokString:
		p.next()
		return &Literal{Value: String(t.text), Pos: t.pos}, nil
	case tokParam:
		p.next()
		if t.text == "" {
			p.nParams++
			return &Param{Index: p.nParams, Pos: t.pos}, nil
		}
		return &Param{Name: t.text, Pos: t.pos}, nil
	case tokKeyword:
		switch t.text {
		case "NULL":
			p.next()
			return &Literal{Value: Null(), Pos: t.pos}, nil
		case "TRUE", "FALSE":
			p.next()
			return &Literal{Value: Bool(t.text == "TRUE"), Pos: t.pos}, nil
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
			return &ColumnRef{Table: t.text, Name: col.text, Pos: t.pos}, nil
		}
		return &ColumnRef{Name: t.text, Pos: t.pos}, nil
	}
	return nil, p.unexpected(t, "an expression")
}

func (p *parser) parseCall(name token) (Expr, error) {
	if p.nest >= maxDepth {
		return nil, errorf(ErrSyntax, name.pos, "syntax error: expression nested too deeply")
	}
	p.next() // (
	p.nest++
	defer func() { p.nest-- }()
	c := &Call{Name: strings.ToLower(name.text), Pos: name.pos}
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
