package store

import (
	"database/sql"
	"os"
	"strings"
	"testing"
)

func TestGenericPlans(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u@h/db":                        "postgres://u@h/db?plan_cache_mode=force_generic_plan",
		"postgres://u@h/db?sslmode=disable":        "postgres://u@h/db?sslmode=disable&plan_cache_mode=force_generic_plan",
		"postgres://u@h/db?plan_cache_mode=auto":   "postgres://u@h/db?plan_cache_mode=auto",
		"postgresql://u@/db?host=/tmp&sslmode=off": "postgresql://u@/db?host=/tmp&sslmode=off&plan_cache_mode=force_generic_plan",
	} {
		if got := genericPlans(in); got != want {
			t.Errorf("genericPlans(%q) = %q, want %q", in, got, want)
		}
	}
	// pgx passes the parameter on to the server.
	admin := os.Getenv("OUVERT_TEST_DATABASE")
	if !strings.HasPrefix(admin, "postgres") {
		return
	}
	conn, err := sql.Open("pgx", genericPlans(admin))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var mode string
	if err := conn.QueryRow(`SHOW plan_cache_mode`).Scan(&mode); err != nil || mode != "force_generic_plan" {
		t.Fatalf("plan_cache_mode = %q, %v", mode, err)
	}
}
