package auth

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	p := Params{Memory: 1024, Time: 1, Threads: 1}
	h, err := Hash("cheval batterie agrafe", p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id", h)
	}
	if err := Verify("cheval batterie agrafe", h); err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if err := Verify("cheval batterie agrafé", h); err != ErrMismatch {
		t.Fatalf("wrong password: err = %v", err)
	}
	h2, _ := Hash("cheval batterie agrafe", p)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if err := Verify("x", "$2a$10$notargon"); err == nil {
		t.Fatal("a bcrypt-looking hash was accepted")
	}
}
