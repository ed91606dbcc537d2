package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

// TestPostgresPlans checks the generic plans PostgreSQL runs the consultation's hot reads with
// (Ouvert's connections force them, see genericPlans), on generated data: a query that reads a
// page (a LIMIT of at most 100 rows) follows an index, never reads a participation table whole
// nor sorts more than a few pages of it, and no query starts parallel workers. The statement that
// writes a group of votes reads its rows by their keys. In the fifth
// session, a generic plan for "LIMIT $n" hash-joined every contribution and every user to show 20
// (129 ms at 100,000 contributions), and only a benchmark saw it.
//
// Queries that read every match by design are not held to it: the capped counts of the synthesis
// workspace's filters, the narrow lists (a theme's few contributions, sorted in Go), the search
// index's build and refresh. At this size PostgreSQL's planner rightly reads some of them whole;
// at 100,000 contributions it follows their indexes (docs/benchmarks.md).
func TestPostgresPlans(t *testing.T) {
	if storetest.Kind() != "postgres" {
		t.Skip("PostgreSQL's planner")
	}
	ctx := context.Background()
	db, raw, p := openProcess(t)
	res, err := db.Generate(ctx, p.ID, store.GenerateOptions{Contributions: 10000, Votes: 50000, Arguments: 20000, Users: 20000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	queries := store.HotQueries(t, db, p, res.Busy)

	// A connection set as Ouvert's are.
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, setting := range store.PostgresSettings() {
		name, value, _ := strings.Cut(setting, "=")
		if _, err := conn.ExecContext(ctx, `SET `+name+` = `+value); err != nil {
			t.Fatal(err)
		}
	}
	var tables string
	if err := conn.QueryRowContext(ctx, `SELECT string_agg(relname, ',') FROM pg_class
		WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND reltuples >= 5000`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	large := map[string]bool{}
	for _, name := range strings.Split(tables, ",") {
		large[name] = true
	}
	for _, table := range []string{"contributions", "votes", "arguments", "users"} {
		if !large[table] {
			t.Fatalf("%s is not among the large tables %v: the data is too small for the planner to show anything", table, large)
		}
	}

	limit := regexp.MustCompile(`LIMIT (\d+|\$\d+)`)
	pages := 0
	for i, q := range queries {
		plan := genericPlan(t, conn, fmt.Sprintf("hot%d", i), q)
		var wrong []string
		for n := range plan.all() {
			if n.Type == "Gather" || n.Type == "Gather Merge" {
				wrong = append(wrong, "parallel workers")
			}
		}
		// A page: its query's LIMITs are at most 100 rows, or parameters (which Ouvert writes
		// out, see postgresDialect.rebind; a parameter stands for a page all the same).
		page := false
		for _, m := range limit.FindAllStringSubmatch(q.Q, -1) {
			n, err := strconv.Atoi(m[1])
			page = err != nil || n <= 100
			if !page {
				break
			}
		}
		if page {
			pages++
			for n := range plan.all() {
				if n.Type == "Seq Scan" && large[n.Relation] {
					wrong = append(wrong, "reads "+n.Relation+" whole")
				}
				if n.Type == "Sort" && n.Rows > 1000 {
					wrong = append(wrong, fmt.Sprintf("sorts %.0f rows", n.Rows))
				}
			}
		}
		if len(wrong) > 0 {
			t.Errorf("%s:\n%s\n%s", strings.Join(wrong, ", "), q.Q, plan.String(""))
		}
	}
	// The statement that writes a group of votes reads each vote's contribution and earlier vote
	// by their keys, for a lone vote as for a full group.
	for _, n := range []int{1, 256} {
		var cids, uids, vals []string
		for i := range n {
			cids = append(cids, strconv.FormatInt(res.FirstContribution+int64(i), 10))
			uids = append(uids, strconv.FormatInt(res.FirstUser+int64(i), 10))
			vals = append(vals, "1")
		}
		array := func(s []string) string { return "{" + strings.Join(s, ",") + "}" }
		plan := genericPlan(t, conn, fmt.Sprintf("votes%d", n), store.PlanQuery{Q: store.VoteGroupPostgres,
			Args: []any{array(cids), array(uids), array(vals), time.Now()}})
		for node := range plan.all() {
			if node.Type == "Seq Scan" && large[node.Relation] || node.Type == "Hash Join" {
				t.Errorf("a group of %d votes: %s %s\n%s", n, node.Type, node.Relation, plan.String(""))
				break
			}
		}
	}
	if len(queries) < 20 || pages < 15 {
		t.Fatalf("only %d queries seen, %d of them pages", len(queries), pages)
	}
}

// genericPlan returns the plan PostgreSQL makes for q once prepared, whatever its arguments.
func genericPlan(t *testing.T, conn *sql.Conn, name string, q store.PlanQuery) planNode {
	t.Helper()
	ctx := context.Background()
	if _, err := conn.ExecContext(ctx, `PREPARE `+name+` AS `+q.Q); err != nil {
		t.Fatalf("%s: %v", q.Q, err)
	}
	defer conn.ExecContext(ctx, `DEALLOCATE `+name)
	call := name
	if len(q.Args) > 0 {
		params := make([]string, len(q.Args))
		for j, a := range q.Args {
			params[j] = literal(t, a)
		}
		call += "(" + strings.Join(params, ", ") + ")"
	}
	var out string
	if err := conn.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) EXECUTE `+call).Scan(&out); err != nil {
		t.Fatalf("%s: %v", q.Q, err)
	}
	var plans []struct{ Plan planNode }
	if err := json.Unmarshal([]byte(out), &plans); err != nil || len(plans) != 1 {
		t.Fatalf("%s: %v", out, err)
	}
	return plans[0].Plan
}

// literal writes a query's argument as an SQL literal: EXECUTE takes no bound parameters.
func literal(t *testing.T, a any) string {
	if v, ok := a.(time.Time); ok {
		return "'" + v.Format(time.RFC3339Nano) + "'"
	}
	switch v := reflect.ValueOf(a); v.Kind() {
	case reflect.Invalid:
		return "NULL"
	case reflect.String:
		return "'" + strings.ReplaceAll(v.String(), "'", "''") + "'"
	case reflect.Bool, reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint32, reflect.Uint64, reflect.Float64:
		return fmt.Sprint(a)
	}
	t.Fatalf("no literal for %T", a)
	return ""
}

// planNode is a node of EXPLAIN (FORMAT JSON)'s plan.
type planNode struct {
	Type     string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Index    string     `json:"Index Name"`
	Rows     float64    `json:"Plan Rows"`
	Plans    []planNode `json:"Plans"`
}

// all yields the node and every node under it.
func (n planNode) all() func(yield func(planNode) bool) {
	return func(yield func(planNode) bool) {
		n.walk(yield)
	}
}

func (n planNode) walk(yield func(planNode) bool) bool {
	if !yield(n) {
		return false
	}
	for _, c := range n.Plans {
		if !c.walk(yield) {
			return false
		}
	}
	return true
}

func (n planNode) String(indent string) string {
	s := fmt.Sprintf("%s%s %s %s (%.0f rows)\n", indent, n.Type, n.Relation, n.Index, n.Rows)
	for _, c := range n.Plans {
		s += c.String(indent + "  ")
	}
	return s
}
