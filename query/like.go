package query

import (
	"strings"
	"unicode/utf8"
)

// likeMatcher matches SQL LIKE patterns: % is any run of characters, _ is
// one character, \ escapes the next character. Matching is case-sensitive
// and allocation-free; common shapes (exact, prefix%, %suffix, %infix%) are
// recognised up front.
type likeMatcher struct {
	shape   likeShape
	lit     string   // the literal for exact/prefix/suffix/contains
	short   shortLit // lit, made ready for the filter kernels
	pattern []rune   // the decoded general pattern
	escaped []bool   // which runes of pattern were escaped
}

type likeShape uint8

const (
	likeGeneral likeShape = iota
	likeExact
	likePrefix
	likeSuffix
	likeContains
	likeAny
)

func newLikeMatcher(p string) *likeMatcher {
	m := &likeMatcher{}
	var lit strings.Builder
	special := false
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\\' && i+1 < len(rs) {
			i++
			m.pattern = append(m.pattern, rs[i])
			m.escaped = append(m.escaped, true)
			continue
		}
		m.pattern = append(m.pattern, r)
		m.escaped = append(m.escaped, false)
		if r == '%' || r == '_' {
			special = true
		}
	}
	if !special {
		for _, r := range m.pattern {
			lit.WriteRune(r)
		}
		m.shape, m.lit = likeExact, lit.String()
		m.short = newShortLit(m.lit)
		return m
	}
	// Classify %lit, lit%, %lit% and % where lit has no wildcard.
	n := len(m.pattern)
	isWild := func(i int, w rune) bool { return m.pattern[i] == w && !m.escaped[i] }
	lead := n > 0 && isWild(0, '%')
	trail := n > 1 && isWild(n-1, '%') || (n == 1 && lead)
	lo, hi := 0, n
	if lead {
		lo = 1
	}
	if trail && hi > lo {
		hi = n - 1
	}
	for i := lo; i < hi; i++ {
		if isWild(i, '%') || isWild(i, '_') {
			m.shape = likeGeneral
			return m
		}
		lit.WriteRune(m.pattern[i])
	}
	m.lit = lit.String()
	m.short = newShortLit(m.lit)
	switch {
	case lead && trail && m.lit == "":
		m.shape = likeAny
	case lead && trail:
		m.shape = likeContains
	case lead:
		m.shape = likeSuffix
	case trail:
		m.shape = likePrefix
	default:
		m.shape = likeGeneral
	}
	return m
}

func (m *likeMatcher) match(s string) bool {
	switch m.shape {
	case likeExact:
		return s == m.lit
	case likePrefix:
		return strings.HasPrefix(s, m.lit)
	case likeSuffix:
		return strings.HasSuffix(s, m.lit)
	case likeContains:
		return strings.Contains(s, m.lit)
	case likeAny:
		return true
	}
	return m.matchGeneral(s)
}

// matchGeneral is the classic greedy wildcard match with backtracking to
// the last %, linear in practice and without allocation.
func (m *likeMatcher) matchGeneral(s string) bool {
	p := m.pattern
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		r, size := decodeRune(s, si)
		switch {
		case pi < len(p) && !m.escaped[pi] && p[pi] == '%':
			starP, starS = pi, si
			pi++
			continue
		case pi < len(p) && ((!m.escaped[pi] && p[pi] == '_') || p[pi] == r):
			pi++
			si += size
			continue
		case starP >= 0:
			pi = starP + 1
			_, sz := decodeRune(s, starS)
			starS += sz
			si = starS
			continue
		}
		return false
	}
	for pi < len(p) && !m.escaped[pi] && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}

func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}
