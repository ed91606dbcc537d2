package store_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

// eventModel is what a test knows of the events it made, to count them without the store.
type eventModel struct {
	events []*ouvert.Event
}

// selects reports whether the filter f (its page and département aside) selects e at now.
func (m *eventModel) selects(e *ouvert.Event, f store.EventFilter) bool {
	status := f.Status
	if status == "" {
		status = ouvert.EventPublished
	}
	return e.Status == status && (f.Kind == "" || e.Kind == f.Kind) && (f.AxisID == 0 || slices.Contains(e.AxisIDs, f.AxisID)) &&
		(!f.Online || e.OnlineURL != "") && (f.From.IsZero() || !e.EndsAt.Before(f.From))
}

// count returns how many events f selects per département, and in all.
func (m *eventModel) count(f store.EventFilter) (map[string]int, int) {
	counts, total := map[string]int{}, 0
	for _, e := range m.events {
		if m.selects(e, f) {
			total++
			if e.Departement != "" {
				counts[e.Departement]++
			}
		}
	}
	return counts, total
}

// firstPage returns the ids of the first page of events f selects in département dep (all when
// ""), in date order.
func (m *eventModel) firstPage(f store.EventFilter, dep string, perPage int) []int64 {
	var list []*ouvert.Event
	for _, e := range m.events {
		if m.selects(e, f) && (dep == "" || e.Departement == dep) {
			list = append(list, e)
		}
	}
	slices.SortFunc(list, func(a, b *ouvert.Event) int {
		if c := a.StartsAt.Compare(b.StartsAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	var ids []int64
	for _, e := range list[:min(len(list), perPage)] {
		ids = append(ids, e.ID)
	}
	return ids
}

// TestEventCountsFollowWritesAndTime checks the figures the store keeps for the events list, its
// map and its feed against a count made without it, after each way they can change: an event
// proposed, approved, rejected, cancelled, deleted by hand, its axes changed, people registering,
// and time passing (and going back, as tests make it).
func TestEventCountsFollowWritesAndTime(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	start := db.Now().Truncate(time.Hour)
	clock := start
	db.Now = func() time.Time { return clock }
	m := &eventModel{}
	ax1, ax2 := p.Axes[0].ID, p.Axes[1].ID

	add := func(kind ouvert.EventKind, dep, status string, in, length time.Duration, online bool, axes ...int64) *ouvert.Event {
		t.Helper()
		e := &ouvert.Event{ProcessID: p.ID, Kind: kind, Title: fmt.Sprintf("Événement %d", len(m.events)+1), Status: status,
			StartsAt: start.Add(in), EndsAt: start.Add(in + length), Departement: dep, AxisIDs: axes, Registration: ouvert.RegistrationOpen}
		if dep != "" {
			e.Postcode, e.Commune = dep+"000", "Commune "+dep
		}
		if online || dep == "" {
			e.OnlineURL = "https://visio.exemple.fr/" + e.Title
		}
		if err := db.CreateEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
		m.events = append(m.events, e)
		return e
	}
	setStatus := func(e *ouvert.Event, status string) {
		t.Helper()
		if err := db.SetEventStatus(ctx, e.ID, status); err != nil {
			t.Fatal(err)
		}
		e.Status = status
	}
	filters := []store.EventFilter{
		{},
		{Kind: ouvert.EventRelay},
		{Kind: ouvert.EventOpenMinistry},
		{AxisID: ax1},
		{AxisID: ax2},
		{Online: true},
		{Status: ouvert.EventPending},
	}
	check := func(when string) {
		t.Helper()
		for _, f := range filters {
			for _, upcoming := range []bool{true, false} {
				f := f
				f.ProcessID = p.ID
				f.From = time.Time{}
				if upcoming {
					f.From = db.Now()
				}
				wantCounts, wantTotal := m.count(f)
				counts, err := db.EventCounts(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if !maps.Equal(counts, wantCounts) {
					t.Errorf("%s, filter %+v: counts per département %v; want %v", when, f, counts, wantCounts)
				}
				for _, dep := range append([]string{""}, slices.Collect(maps.Keys(wantCounts))...) {
					f.Departement = dep
					list, err := db.EventList(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					want := wantTotal
					if dep != "" {
						want = wantCounts[dep]
					}
					var ids []int64
					for _, e := range list.Items {
						ids = append(ids, e.ID)
					}
					if list.Total != want || !slices.Equal(ids, m.firstPage(f, dep, 20)) {
						t.Errorf("%s, filter %+v: %d events %v; want %d %v", when, f, list.Total, ids, want, m.firstPage(f, dep, 20))
					}
				}
			}
		}
	}
	stamp := func() uint64 {
		t.Helper()
		s, err := db.EventsStamp(ctx, store.EventFilter{ProcessID: p.ID, From: db.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	check("with no event")
	lyon := add(ouvert.EventRelay, "69", ouvert.EventPublished, 2*time.Hour, 2*time.Hour, false, ax1)
	online := add(ouvert.EventRelay, "", ouvert.EventPublished, time.Hour, 30*time.Minute, false)
	paris := add(ouvert.EventOpenMinistry, "75", ouvert.EventPublished, 72*time.Hour, 3*time.Hour, false, ax2)
	rennes := add(ouvert.EventRelay, "35", ouvert.EventPublished, 120*time.Hour, 2*time.Hour, true, ax1, ax2)
	add(ouvert.EventRelay, "13", ouvert.EventPublished, -48*time.Hour, 2*time.Hour, false) // over already
	check("after creating published events")

	pending := add(ouvert.EventRelay, "69", ouvert.EventPending, 24*time.Hour, 2*time.Hour, false, ax2)
	refused := add(ouvert.EventRelay, "63", ouvert.EventPending, 30*time.Hour, time.Hour, false)
	check("after proposing events")
	setStatus(pending, ouvert.EventPublished)
	check("after approving one")
	setStatus(refused, ouvert.EventRejected)
	check("after rejecting one")
	setStatus(paris, ouvert.EventCancelled)
	check("after cancelling one")

	// Registrations change counters that no list shows: the figures stay as they were.
	before := stamp()
	for i, email := range []string{"a@exemple.fr", "b@exemple.fr"} {
		if _, err := db.Register(ctx, lyon.ID, 0, newUser(t, db, email).ID); err != nil {
			t.Fatal(i, err)
		}
	}
	if after := stamp(); after != before {
		t.Errorf("registering changed the figures' stamp from %d to %d", before, after)
	}
	check("after registrations")

	// Changes made by hand, in SQL, which the store did not make itself.
	if err := db.ExecForTest(ctx, `DELETE FROM events WHERE id = ?`, rennes.ID); err != nil {
		t.Fatal(err)
	}
	m.events = slices.DeleteFunc(m.events, func(e *ouvert.Event) bool { return e == rennes })
	check("after deleting one")
	if err := db.ExecForTest(ctx, `DELETE FROM event_axes WHERE event_id = ?`, lyon.ID); err != nil {
		t.Fatal(err)
	}
	lyon.AxisIDs = nil
	check("after removing an event's axes")
	if err := db.ExecForTest(ctx, `UPDATE events SET departement = '01' WHERE id = ?`, pending.ID); err != nil {
		t.Fatal(err)
	}
	pending.Departement = "01"
	check("after moving an event to another département")
	// What the web server keeps by stamp (the feed) shows titles too.
	before = stamp()
	if err := db.ExecForTest(ctx, `UPDATE events SET title = 'Atelier renommé' WHERE id = ?`, lyon.ID); err != nil {
		t.Fatal(err)
	}
	if after := stamp(); after == before {
		t.Error("renaming an event left the figures' stamp as it was")
	}

	// Time passes: the online event ends first, then Lyon's; the figures follow, though nothing
	// was written. Then a test moves the clock back.
	clock = online.EndsAt
	check("when the first event ends")
	clock = online.EndsAt.Add(time.Second)
	check("just after it ended")
	clock = lyon.EndsAt.Add(time.Minute)
	check("after Lyon's ended")
	clock = start.Add(time.Hour)
	check("back in time")
	clock = start.Add(365 * 24 * time.Hour)
	check("a year later")
}
