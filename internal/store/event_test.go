package store_test

import (
	"context"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

func newEvent(t *testing.T, db *store.DB, p *ouvert.Process, capacity int, sessions ...ouvert.EventSession) *ouvert.Event {
	t.Helper()
	start := db.Now().Add(48 * time.Hour)
	e := &ouvert.Event{ProcessID: p.ID, Kind: ouvert.EventRelay, Title: "Atelier", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Postcode: "69001", Commune: "Lyon", Departement: "69", Region: "84", Capacity: capacity, Registration: ouvert.RegistrationOpen,
		Sessions: sessions, AxisIDs: []int64{p.Axes[1].ID}}
	if err := db.CreateEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestRegistrationWaitingListAndPromotion(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	a, b, c := newUser(t, db, "a@exemple.fr"), newUser(t, db, "b@exemple.fr"), newUser(t, db, "c@exemple.fr")
	e := newEvent(t, db, p, 1)
	for _, tt := range []struct {
		user int64
		want string
	}{{a.ID, ouvert.RegConfirmed}, {b.ID, ouvert.RegWaiting}, {c.ID, ouvert.RegWaiting}} {
		if got, err := db.Register(ctx, e.ID, 0, tt.user); err != nil || got != tt.want {
			t.Fatalf("register %d: %q, %v; want %q", tt.user, got, err, tt.want)
		}
	}
	if _, err := db.Register(ctx, e.ID, 0, b.ID); ouvert.ErrorCode(err) != ouvert.ECONFLICT {
		t.Fatalf("registered twice: %v", err)
	}
	got, _ := db.Event(ctx, e.ID)
	if got.Registered != 1 || got.Waiting != 2 || !got.Full() {
		t.Fatalf("counters %d/%d", got.Registered, got.Waiting)
	}
	promoted, err := db.CancelRegistration(ctx, e.ID, a.ID)
	if err != nil || promoted == nil || promoted.UserID != b.ID || promoted.Email != "b@exemple.fr" {
		t.Fatalf("promoted = %+v, %v", promoted, err)
	}
	if r, _ := db.UserRegistration(ctx, e.ID, b.ID); r == nil || r.Status != ouvert.RegConfirmed {
		t.Fatalf("b's registration = %+v", r)
	}
	// A waiting person who cancels promotes nobody.
	if p, err := db.CancelRegistration(ctx, e.ID, c.ID); err != nil || p != nil {
		t.Fatalf("cancel from the waiting list: %+v, %v", p, err)
	}
	got, _ = db.Event(ctx, e.ID)
	if got.Registered != 1 || got.Waiting != 0 {
		t.Fatalf("counters after cancellations %d/%d", got.Registered, got.Waiting)
	}
	// A is back, at the end of the waiting list.
	if s, _ := db.Register(ctx, e.ID, 0, a.ID); s != ouvert.RegWaiting {
		t.Fatalf("re-registration: %q", s)
	}
	regs, _ := db.Registrations(ctx, e.ID)
	if len(regs) != 2 {
		t.Fatalf("registrations = %+v", regs)
	}
}

func TestRegistrationToParallelSessions(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	start := db.Now().Add(48 * time.Hour)
	e := newEvent(t, db, p, 0,
		ouvert.EventSession{Title: "Atelier 1", Room: "Salle A", ParallelGroup: "ateliers", Capacity: 1, StartsAt: start, EndsAt: start.Add(time.Hour)},
		ouvert.EventSession{Title: "Atelier 2", Room: "Salle B", ParallelGroup: "ateliers", Capacity: 2, StartsAt: start, EndsAt: start.Add(time.Hour)})
	a, b, c := newUser(t, db, "a@exemple.fr"), newUser(t, db, "b@exemple.fr"), newUser(t, db, "c@exemple.fr")
	s1, s2 := e.Sessions[0].ID, e.Sessions[1].ID
	if st, _ := db.Register(ctx, e.ID, s1, a.ID); st != ouvert.RegConfirmed {
		t.Fatalf("a in session 1: %q", st)
	}
	if st, _ := db.Register(ctx, e.ID, s1, b.ID); st != ouvert.RegWaiting {
		t.Fatalf("b in full session 1: %q", st)
	}
	if st, _ := db.Register(ctx, e.ID, s2, c.ID); st != ouvert.RegConfirmed {
		t.Fatalf("c in session 2: %q", st)
	}
	if _, err := db.Register(ctx, e.ID, 999999, newUser(t, db, "d@exemple.fr").ID); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("unknown session: %v", err)
	}
	promoted, err := db.CancelRegistration(ctx, e.ID, a.ID)
	if err != nil || promoted == nil || promoted.UserID != b.ID || promoted.SessionID != s1 {
		t.Fatalf("promotion within the session: %+v, %v", promoted, err)
	}
	got, _ := db.Event(ctx, e.ID)
	if got.Sessions[0].Registered != 1 || got.Sessions[0].Waiting != 0 || got.Sessions[1].Registered != 1 || got.Registered != 2 {
		t.Fatalf("session counters %+v / %+v, event %d", got.Sessions[0], got.Sessions[1], got.Registered)
	}
}

func TestEventListFiltersAndCounts(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	newEvent(t, db, p, 0)
	start := db.Now().Add(72 * time.Hour)
	e2 := &ouvert.Event{ProcessID: p.ID, Kind: ouvert.EventRelay, Title: "En attente", StartsAt: start, EndsAt: start.Add(time.Hour),
		Postcode: "35000", Commune: "Rennes", Departement: "35", Region: "53", Status: ouvert.EventPending}
	if err := db.CreateEvent(ctx, e2); err != nil {
		t.Fatal(err)
	}
	list, total, err := db.Events(ctx, store.EventFilter{ProcessID: p.ID, From: db.Now()})
	if err != nil || total != 1 || len(list) != 1 {
		t.Fatalf("published events: %d, %v", total, err)
	}
	if _, n, _ := db.Events(ctx, store.EventFilter{ProcessID: p.ID, Departement: "35"}); n != 0 {
		t.Fatalf("a pending event is listed")
	}
	if _, n, _ := db.Events(ctx, store.EventFilter{ProcessID: p.ID, Status: ouvert.EventPending}); n != 1 {
		t.Fatalf("pending list: %d", n)
	}
	counts, _ := db.EventCounts(ctx, store.EventFilter{ProcessID: p.ID})
	if counts["69"] != 1 || counts["35"] != 0 {
		t.Fatalf("counts = %v", counts)
	}
	if _, n, _ := db.Events(ctx, store.EventFilter{ProcessID: p.ID, AxisID: p.Axes[1].ID}); n != 1 {
		t.Fatalf("axis filter: %d", n)
	}
	if err := db.SetEventStatus(ctx, e2.ID, ouvert.EventPublished); err != nil {
		t.Fatal(err)
	}
	if _, n, _ := db.Events(ctx, store.EventFilter{ProcessID: p.ID, Departement: "35"}); n != 1 {
		t.Fatalf("approved event not listed")
	}
}

func TestAttendanceAndRetention(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	e := newEvent(t, db, p, 0)
	a, b := newUser(t, db, "a@exemple.fr"), newUser(t, db, "b@exemple.fr")
	db.Register(ctx, e.ID, 0, a.ID)
	db.Register(ctx, e.ID, 0, b.ID)
	regs, _ := db.Registrations(ctx, e.ID)
	if err := db.SetAttendance(ctx, e.ID, []int64{regs[1].ID}); err != nil {
		t.Fatal(err)
	}
	regs, _ = db.Registrations(ctx, e.ID)
	if regs[0].Attended || !regs[1].Attended {
		t.Fatalf("attendance = %v, %v", regs[0].Attended, regs[1].Attended)
	}
	if n, _ := db.PurgeRegistrations(ctx, e.EndsAt.Add(-time.Minute)); n != 0 {
		t.Fatalf("purged %d registrations of an event not over", n)
	}
	if n, err := db.PurgeRegistrations(ctx, e.EndsAt.Add(90*24*time.Hour)); err != nil || n != 2 {
		t.Fatalf("purged %d, %v", n, err)
	}
	got, _ := db.Event(ctx, e.ID)
	if got.Registered != 2 {
		t.Fatalf("counters lost: %d", got.Registered)
	}
}
