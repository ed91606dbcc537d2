package store

import (
	"reflect"
	"testing"
)

// PostgreSQL's placeholders are numbered, and a LIMIT's integer is written into the query so that
// the plan made once for any values knows how few rows it wants.
func TestRebind(t *testing.T) {
	for _, c := range []struct {
		q        string
		args     []any
		want     string
		wantArgs []any
	}{
		{`SELECT a FROM t WHERE x = ? AND y = 'l''?' LIMIT ? OFFSET ?`, []any{int64(1), 20, 40},
			`SELECT a FROM t WHERE x = $1 AND y = 'l''?' LIMIT 20 OFFSET $2`, []any{int64(1), 40}},
		{`SELECT COUNT(*) FROM (SELECT 1 FROM t WHERE a = ? LIMIT ?) s WHERE b = ?`, []any{"a", int64(10000), "b"},
			`SELECT COUNT(*) FROM (SELECT 1 FROM t WHERE a = $1 LIMIT 10000) s WHERE b = $2`, []any{"a", "b"}},
		{`SELECT a FROM t LIMIT ?`, []any{"20"}, `SELECT a FROM t LIMIT $1`, []any{"20"}},
		{`SELECT a FROM t WHERE b = ?`, []any{1}, `SELECT a FROM t WHERE b = $1`, []any{1}},
		{`SELECT 1`, nil, `SELECT 1`, nil},
	} {
		got, gotArgs := postgresDialect{}.rebind(c.q, c.args)
		if got != c.want || !reflect.DeepEqual(gotArgs, c.wantArgs) {
			t.Errorf("rebind(%q, %v) = %q, %v\nwant %q, %v", c.q, c.args, got, gotArgs, c.want, c.wantArgs)
		}
	}
	if q, args := (sqliteDialect{}).rebind(`SELECT a LIMIT ?`, []any{3}); q != `SELECT a LIMIT ?` || len(args) != 1 {
		t.Errorf("SQLite's rebind changed %q, %v", q, args)
	}
}
