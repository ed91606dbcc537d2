package store_test

import (
	"context"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

func newUser(t *testing.T, db *store.DB, email string) *ouvert.User {
	t.Helper()
	u := &ouvert.User{Email: email, PasswordHash: "x", DisplayName: "Claire", Digest: true}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUserLifecycle(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	u := newUser(t, db, " Claire@Exemple.FR ")
	if u.Email != "claire@exemple.fr" || u.ID == 0 {
		t.Fatalf("created user = %+v", u)
	}
	err := db.CreateUser(ctx, &ouvert.User{Email: "claire@exemple.fr", PasswordHash: "y", DisplayName: "Autre"})
	if ouvert.ErrorCode(err) != ouvert.ECONFLICT {
		t.Fatalf("second account with the same address: err = %v, want conflict", err)
	}
	got, err := db.UserByEmail(ctx, "CLAIRE@exemple.fr")
	if err != nil || got.ID != u.ID || got.Confirmed() || got.Role != ouvert.RoleParticipant {
		t.Fatalf("UserByEmail = %+v, %v", got, err)
	}
	if err := db.ConfirmUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.UpdateProfile(ctx, u.ID, "Pseudo", ouvert.CategoryResearch); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRole(ctx, u.ID, ouvert.RoleAdministration, "Ministère de la Culture"); err != nil {
		t.Fatal(err)
	}
	got, _ = db.UserByID(ctx, u.ID)
	if !got.Confirmed() || got.DisplayName != "Pseudo" || got.Category != ouvert.CategoryResearch ||
		got.Role != ouvert.RoleAdministration || got.Administration != "Ministère de la Culture" {
		t.Fatalf("after updates: %+v", got)
	}
	if !got.Is(ouvert.RoleAdministration) || got.Is(ouvert.RoleOrganiser) || got.Is(ouvert.RoleModerator) {
		t.Fatalf("role checks wrong for %s", got.Role)
	}
	if err := db.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UserByID(ctx, u.ID); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Fatalf("deleted user still found: %v", err)
	}
}

func TestSessionsAndTokens(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	u := newUser(t, db, "a@exemple.fr")
	secret, err := db.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.SessionUser(ctx, secret); err != nil || got.ID != u.ID {
		t.Fatalf("SessionUser = %v, %v", got, err)
	}
	if _, err := db.SessionUser(ctx, secret+"x"); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Fatalf("unknown session: %v", err)
	}
	// A password change ends every session.
	if err := db.SetPassword(ctx, u.ID, "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionUser(ctx, secret); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Fatalf("session survived a password change: %v", err)
	}
	// Expired sessions are refused.
	secret, _ = db.CreateSession(ctx, u.ID, time.Hour)
	now := db.Now
	db.Now = func() time.Time { return now().Add(2 * time.Hour) }
	if _, err := db.SessionUser(ctx, secret); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Fatalf("expired session accepted: %v", err)
	}
	db.Now = now

	tok, err := db.CreateToken(ctx, u.ID, store.TokenConfirm, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UseToken(ctx, tok, store.TokenReset); err == nil {
		t.Fatal("a confirmation token was accepted as a reset token")
	}
	if id, err := db.UseToken(ctx, tok, store.TokenConfirm); err != nil || id != u.ID {
		t.Fatalf("UseToken = %d, %v", id, err)
	}
	if _, err := db.UseToken(ctx, tok, store.TokenConfirm); err == nil {
		t.Fatal("a token was used twice")
	}
}

func TestLoginThrottling(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	u := newUser(t, db, "b@exemple.fr")
	for range 4 {
		db.RecordLoginFailure(ctx, u.ID)
	}
	got, _ := db.UserByID(ctx, u.ID)
	if got.LockedUntil != nil {
		t.Fatal("locked after four failures")
	}
	db.RecordLoginFailure(ctx, u.ID)
	got, _ = db.UserByID(ctx, u.ID)
	if got.LockedUntil == nil || !got.LockedUntil.After(db.Now()) {
		t.Fatalf("not locked after five failures: %+v", got)
	}
	db.RecordLoginSuccess(ctx, u.ID)
	got, _ = db.UserByID(ctx, u.ID)
	if got.LockedUntil != nil || got.FailedLogins != 0 {
		t.Fatalf("success did not clear the lock: %+v", got)
	}
}

func TestOrganisations(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	a, b, c := newUser(t, db, "a@exemple.fr"), newUser(t, db, "b@exemple.fr"), newUser(t, db, "c@exemple.fr")
	o := &ouvert.Organisation{Name: "Regards Citoyens", Category: ouvert.CategoryAssociation}
	if err := db.CreateOrganisation(ctx, o, a.ID); err != nil {
		t.Fatal(err)
	}
	o2 := &ouvert.Organisation{Name: "Regards citoyens !", Category: ouvert.CategoryAssociation}
	if err := db.CreateOrganisation(ctx, o2, c.ID); err != nil {
		t.Fatal(err)
	}
	if o.Slug != "regards-citoyens" || o2.Slug != "regards-citoyens-2" {
		t.Fatalf("slugs %q %q", o.Slug, o2.Slug)
	}
	if err := db.AddMember(ctx, o.ID, b.ID, "c@exemple.fr"); ouvert.ErrorCode(err) != ouvert.EFORBIDDEN {
		t.Fatalf("a non-member added someone: %v", err)
	}
	if err := db.AddMember(ctx, o.ID, a.ID, "b@exemple.fr"); err != nil {
		t.Fatal(err)
	}
	if err := db.AddMember(ctx, o.ID, a.ID, "b@exemple.fr"); ouvert.ErrorCode(err) != ouvert.ECONFLICT {
		t.Fatalf("added twice: %v", err)
	}
	ms, err := db.UserOrganisations(ctx, b.ID)
	if err != nil || len(ms) != 1 || ms[0].Organisation.Members != 2 || ms[0].IsAdmin {
		t.Fatalf("UserOrganisations(b) = %+v, %v", ms, err)
	}
	if err := db.DeleteUser(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	ms, _ = db.UserOrganisations(ctx, b.ID)
	if len(ms) != 1 || ms[0].Organisation.Members != 1 {
		t.Fatalf("after a member left: %+v", ms)
	}
	if err := db.LeaveOrganisation(ctx, o.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if ms, _ := db.UserOrganisations(ctx, b.ID); len(ms) != 0 {
		t.Fatalf("still a member: %+v", ms)
	}
}

func TestOutbox(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	m := &store.Message{To: "x@exemple.fr", Subject: "Sujet", Body: "Corps"}
	if err := db.Enqueue(ctx, m); err != nil {
		t.Fatal(err)
	}
	got, err := db.ClaimMail(ctx, 10, time.Minute)
	if err != nil || len(got) != 1 || got[0].Subject != "Sujet" {
		t.Fatalf("ClaimMail = %+v, %v", got, err)
	}
	if again, _ := db.ClaimMail(ctx, 10, time.Minute); len(again) != 0 {
		t.Fatalf("a claimed message was claimed again: %+v", again)
	}
	db.MailFailed(ctx, m.ID, context.DeadlineExceeded, db.Now().Add(-time.Second))
	got, _ = db.ClaimMail(ctx, 10, time.Minute)
	if len(got) != 1 || got[0].Attempts != 1 {
		t.Fatalf("failed message not retried: %+v", got)
	}
	db.MailSent(ctx, m.ID)
	if n, _ := db.PendingMail(ctx); n != 0 {
		t.Fatalf("pending after send = %d", n)
	}
}

func TestPages(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	if _, err := db.Page(ctx, "legal-notice", "fr"); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Fatalf("missing page: %v", err)
	}
	p := &ouvert.Page{Slug: "legal-notice", Lang: "fr", Title: "Mentions légales", Body: "v1"}
	db.SavePage(ctx, p, 0)
	p.Body = "v2"
	if err := db.SavePage(ctx, p, 0); err != nil {
		t.Fatal(err)
	}
	got, err := db.Page(ctx, "legal-notice", "fr")
	if err != nil || got.Body != "v2" {
		t.Fatalf("Page = %+v, %v", got, err)
	}
}

// SessionUser keeps its answers for a second (every signed-in request asks it). A change this
// process makes shows at once; one made by another instance (a second store on the same
// database) shows once that second has passed.
func TestSessionCache(t *testing.T) {
	ctx := context.Background()
	url := storetest.URL(t)
	a, b := storetest.OpenAt(t, url), storetest.OpenAt(t, url)
	u := newUser(t, a, "claire@exemple.fr")
	mod := newUser(t, a, "moderation@exemple.fr")
	secret, err := a.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	session := func(db *store.DB) (*ouvert.User, error) {
		t.Helper()
		got, err := db.SessionUser(ctx, secret)
		if err == nil && got.ID != u.ID {
			t.Fatalf("SessionUser = user %d, want %d", got.ID, u.ID)
		}
		return got, err
	}
	for _, db := range []*store.DB{a, b} {
		if _, err := session(db); err != nil {
			t.Fatal(err)
		}
	}

	// What SessionUser returns is the caller's own copy.
	got, _ := session(a)
	got.DisplayName, got.Role = "Autre", ouvert.RoleOrganiser
	if got, _ := session(a); got.DisplayName != "Claire" || got.Role == ouvert.RoleOrganiser {
		t.Fatalf("a caller's change reached the kept session: %+v", got)
	}

	// Changes made here show at once: a block, a role, then a log-out.
	if err := a.SetBlocked(ctx, mod.ID, u.ID, true, "spam"); err != nil {
		t.Fatal(err)
	}
	if got, err := session(a); err != nil || got.BlockedAt == nil {
		t.Fatalf("after a block, SessionUser = %+v, %v", got, err)
	}
	if err := a.SetRole(ctx, u.ID, ouvert.RoleModerator, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := session(a); err != nil || got.Role != ouvert.RoleModerator {
		t.Fatalf("after a role change, SessionUser = %+v, %v", got, err)
	}
	if err := a.DeleteSession(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if _, err := session(a); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Fatalf("a logged-out session was accepted: %v", err)
	}
	// The other instance may have kept it for up to a second, not longer.
	time.Sleep(time.Second + 100*time.Millisecond)
	if _, err := session(b); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Fatalf("another instance accepted a session logged out more than a second ago: %v", err)
	}

	// A kept session still ends on time.
	secret, _ = a.CreateSession(ctx, u.ID, time.Hour)
	if _, err := session(a); err != nil {
		t.Fatal(err)
	}
	now := a.Now
	a.Now = func() time.Time { return now().Add(2 * time.Hour) }
	if _, err := session(a); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Fatalf("an expired session was accepted from what was kept: %v", err)
	}
	a.Now = now
}
