// Package storetest opens a fresh, real database for a test: SQLite in a temporary directory, or,
// when OUVERT_TEST_DATABASE holds a postgres:// URL, a new PostgreSQL database created on that
// server for this test alone and dropped after it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"ouvert/internal/store"
)

// URL returns a database URL for a new, empty database that lives as long as the test.
func URL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("OUVERT_TEST_DATABASE")
	if admin == "" {
		return filepath.Join(t.TempDir(), "ouvert.db")
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "ouvert_test_" + hex.EncodeToString(b)
	adm, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := adm.Exec(`CREATE DATABASE ` + name); err != nil {
		adm.Close()
		t.Fatalf("storetest: create database: %v", err)
	}
	t.Cleanup(func() {
		adm.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		adm.Close()
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Open returns a migrated store on a fresh database, closed when the test ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
	return OpenAt(t, URL(t))
}

// OpenAt opens a store on url, closed when the test ends. Two stores on one URL stand for two
// instances of Ouvert (or the server and a command) sharing a database.
func OpenAt(t testing.TB, url string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Kind returns "postgres" when the tests run on PostgreSQL and "sqlite" otherwise.
func Kind() string {
	if strings.HasPrefix(os.Getenv("OUVERT_TEST_DATABASE"), "postgres") {
		return "postgres"
	}
	return "sqlite"
}
