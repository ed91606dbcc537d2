package textsearch

import "strings"

// maxQueryTerms bounds the work a single search does in the database: a
// pasted paragraph must not become a 500-term MATCH expression.
const maxQueryTerms = 12

// Query is a parsed search box input.
type Query struct {
	// Terms are the distinct stemmed terms of the input, in input order,
	// at most 12. Each is made of [a-z0-9] only.
	Terms []string
}

// ParseQuery analyses a search box input like Terms does, so that it finds
// what Document indexed. It never fails: the search box takes anything,
// and there is no query syntax to get wrong. Quotes, "*", parentheses and
// every other symbol separate words; OR, AND, NOT and NEAR are stop words;
// invalid UTF-8 is ignored. The result may be empty.
func ParseQuery(input string) Query {
	var q Query
	var buf []string
	scanWords(input, func(start, end int) bool {
		buf = appendWordTerms(buf[:0], input[start:end])
		for _, t := range buf {
			if !containsString(q.Terms, t) {
				q.Terms = append(q.Terms, t)
				if len(q.Terms) == maxQueryTerms {
					return false
				}
			}
		}
		return true
	})
	return q
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Empty reports whether the query has no terms, in which case callers
// should not run a search (an empty MATCH is an FTS5 syntax error).
func (q Query) Empty() bool {
	return len(q.validTerms()) == 0
}

// FTS5 returns the SQLite FTS5 MATCH expression requiring every term: each
// term double-quoted, so that a term can never be read as an FTS5 keyword,
// joined by spaces (implicit AND). It returns "" for an empty query.
func (q Query) FTS5() string {
	return q.join(`"`, " ")
}

// TSQuery returns the PostgreSQL expression for to_tsquery('simple', ...)
// requiring every term. The 'simple' configuration must be used so that
// PostgreSQL does not stem the already-stemmed terms a second time.
func (q Query) TSQuery() string {
	return q.join("", " & ")
}

// join renders the valid terms. Terms is an exported field, so a Query may
// not come from ParseQuery: terms that are not [a-z0-9] are skipped here
// rather than trusted, which keeps the expressions injection-free.
func (q Query) join(quote, sep string) string {
	var b strings.Builder
	for i, t := range q.validTerms() {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(quote)
		b.WriteString(t)
		b.WriteString(quote)
	}
	return b.String()
}

// validTerms returns the terms that are safe to render, without copying in
// the usual case where all of them are.
func (q Query) validTerms() []string {
	for i, t := range q.Terms {
		if !validTerm(t) {
			out := append([]string(nil), q.Terms[:i]...)
			for _, t := range q.Terms[i+1:] {
				if validTerm(t) {
					out = append(out, t)
				}
			}
			return out
		}
	}
	return q.Terms
}
