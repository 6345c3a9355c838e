package query

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind classifies a token.
type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokIdent
	tokKeyword // Text holds the upper-case keyword
	tokString
	tokNumber
	tokParam // Text holds the name; empty for ?
	tokOp    // operators and punctuation
	tokSemicolon
)

type token struct {
	kind tokenKind
	text string // identifier, keyword (upper case), string value, number text, operator
	pos  Pos
	off  int // byte offset in the source
	end  int // byte offset after the token
}

// keywords are reserved: they cannot be bare table or column names (quote
// them with backticks). Words used as column names by the original's tables
// (key, value, name, state, type, …) are deliberately not keywords, and a
// word after a dot is always a name.
var keywords = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "GROUP": true, "BY": true, "HAVING": true,
	"ORDER": true, "LIMIT": true, "OFFSET": true, "AS": true, "ON": true, "USING": true,
	"JOIN": true, "INNER": true, "CROSS": true, "LEFT": true, "RIGHT": true, "OUTER": true,
	"NATURAL": true, "AND": true, "OR": true, "XOR": true, "NOT": true, "LIKE": true,
	"REGEXP": true, "RLIKE": true, "IN": true, "BETWEEN": true, "IS": true, "NULL": true,
	"TRUE": true, "FALSE": true, "ASC": true, "DESC": true, "DISTINCT": true, "EXPLAIN": true,
	"ALL": true,
}

// keywordOf returns the upper-case keyword spelled by word, in any case,
// without allocating.
func keywordOf(word string) (string, bool) {
	var buf [16]byte
	if len(word) > len(buf) {
		return "", false
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	kw, ok := keywordNames[string(buf[:len(word)])]
	return kw, ok
}

var keywordNames = func() map[string]string {
	m := make(map[string]string, len(keywords))
	for k := range keywords {
		m[k] = k
	}
	return m
}()

// lexer turns SQL text into tokens. It never fails by panicking: a bad
// character or an unterminated string is a syntax error with its position.
type lexer struct {
	src       string
	off       int
	line, col int
}

func newLexer(src string) *lexer { return &lexer{src: src, line: 1, col: 1} }

func (l *lexer) pos() Pos { return Pos{Line: l.line, Col: l.col} }

func (l *lexer) peekRune(ahead int) rune {
	off := l.off
	for i := 0; ; i++ {
		if off >= len(l.src) {
			return -1
		}
		r, size := utf8.DecodeRuneInString(l.src[off:])
		if i == ahead {
			return r
		}
		off += size
	}
}

func (l *lexer) advance() rune {
	r, size := utf8.DecodeRuneInString(l.src[l.off:])
	l.off += size
	if r == '\n' {
		l.line++
		l.col = 1
	} else {
		l.col++
	}
	return r
}

func (l *lexer) skipSpaceAndComments() error {
	for l.off < len(l.src) {
		r := l.peekRune(0)
		switch {
		case unicode.IsSpace(r):
			l.advance()
		case r == '#' || (r == '-' && l.peekRune(1) == '-'):
			for l.off < len(l.src) && l.peekRune(0) != '\n' {
				l.advance()
			}
		case r == '/' && l.peekRune(1) == '*':
			start := l.pos()
			l.advance()
			l.advance()
			for {
				if l.off >= len(l.src) {
					return errorf(ErrSyntax, start, "syntax error: unterminated comment")
				}
				if l.peekRune(0) == '*' && l.peekRune(1) == '/' {
					l.advance()
					l.advance()
					break
				}
				l.advance()
			}
		default:
			return nil
		}
	}
	return nil
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isIdentPart(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func (l *lexer) next() (token, error) {
	if err := l.skipSpaceAndComments(); err != nil {
		return token{}, err
	}
	start, off := l.pos(), l.off
	mk := func(k tokenKind, text string) (token, error) {
		return token{kind: k, text: text, pos: start, off: off, end: l.off}, nil
	}
	if l.off >= len(l.src) {
		return mk(tokEOF, "")
	}
	r := l.peekRune(0)
	switch {
	case r == utf8.RuneError:
		return token{}, errorf(ErrSyntax, start, "syntax error: invalid UTF-8 in query text")
	case isIdentStart(r):
		for l.off < len(l.src) && isIdentPart(l.peekRune(0)) {
			l.advance()
		}
		word := l.src[off:l.off]
		if kw, ok := keywordOf(word); ok {
			return mk(tokKeyword, kw)
		}
		return mk(tokIdent, word)
	case r == '`':
		l.advance()
		var b strings.Builder
		for {
			if l.off >= len(l.src) {
				return token{}, errorf(ErrSyntax, start, "syntax error: unterminated quoted name")
			}
			c := l.advance()
			if c == '`' {
				if l.peekRune(0) == '`' {
					l.advance()
					b.WriteRune('`')
					continue
				}
				break
			}
			b.WriteRune(c)
		}
		if b.Len() == 0 {
			return token{}, errorf(ErrSyntax, start, "syntax error: empty quoted name")
		}
		return mk(tokIdent, b.String())
	case r == '\'' || r == '"':
		s, err := l.lexString(r, start)
		if err != nil {
			return token{}, err
		}
		return mk(tokString, s)
	case r >= '0' && r <= '9' || (r == '.' && isDigit(l.peekRune(1))):
		return l.lexNumber(start, off)
	case r == '?':
		l.advance()
		return mk(tokParam, "")
	case r == ':':
		l.advance()
		if !isIdentStart(l.peekRune(0)) {
			return token{}, errorf(ErrSyntax, start, "syntax error: a parameter name must follow ':'").
				withHint("write :name or :name:")
		}
		nameStart := l.off
		for l.off < len(l.src) && (isIdentPart(l.peekRune(0)) || (l.peekRune(0) == '.' && isIdentStart(l.peekRune(1)))) {
			l.advance()
		}
		name := l.src[nameStart:l.off]
		if l.peekRune(0) == ':' {
			l.advance() // the closing colon of :name:
		}
		return mk(tokParam, name)
	case r == ';':
		l.advance()
		return mk(tokSemicolon, ";")
	}
	for _, op := range []string{"<=>", "<>", "!=", "<=", ">=", "&&", "||", "=", "<", ">", "!", "(", ")", ",", ".", "*", "+", "-", "/", "%"} {
		if strings.HasPrefix(l.src[l.off:], op) {
			for range op {
				l.advance()
			}
			return mk(tokOp, op)
		}
	}
	return token{}, errorf(ErrSyntax, start, "syntax error: unexpected character %q", r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func (l *lexer) lexNumber(start Pos, off int) (token, error) {
	for isDigit(l.peekRune(0)) {
		l.advance()
	}
	if l.peekRune(0) == '.' && isDigit(l.peekRune(1)) {
		l.advance()
		for isDigit(l.peekRune(0)) {
			l.advance()
		}
	}
	if r := l.peekRune(0); r == 'e' || r == 'E' {
		n := 1
		if s := l.peekRune(1); s == '+' || s == '-' {
			n = 2
		}
		if isDigit(l.peekRune(n)) {
			for range n {
				l.advance()
			}
			for isDigit(l.peekRune(0)) {
				l.advance()
			}
		}
	}
	if isIdentStart(l.peekRune(0)) {
		return token{}, errorf(ErrSyntax, start, "syntax error: invalid number %q", l.src[off:l.off]+string(l.peekRune(0)))
	}
	return token{kind: tokNumber, text: l.src[off:l.off], pos: start, off: off, end: l.off}, nil
}

// lexString reads a quoted string: the quote doubled stands for itself, and
// backslash escapes \n \t \r \0 \\ \' \" are decoded; \% and \_ stay as
// written so that LIKE patterns can escape their wildcards.
func (l *lexer) lexString(quote rune, start Pos) (string, error) {
	l.advance()
	var b strings.Builder
	for {
		if l.off >= len(l.src) {
			return "", errorf(ErrSyntax, start, "syntax error: unterminated string").
				withHint("close it with %c", quote)
		}
		c := l.advance()
		switch {
		case c == quote:
			if l.peekRune(0) == quote {
				l.advance()
				b.WriteRune(quote)
				continue
			}
			return b.String(), nil
		case c == '\\' && l.off < len(l.src):
			e := l.advance()
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '0':
				b.WriteByte(0)
			case '%', '_':
				b.WriteByte('\\')
				b.WriteRune(e)
			default:
				b.WriteRune(e)
			}
		default:
			b.WriteRune(c)
		}
	}
}
