package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/web"
)

// eventByTitle finds an event of the demo.
func (a *app) eventByTitle(prefix string) *ouvert.Event {
	a.t.Helper()
	list, _, err := a.db.Events(context.Background(), store.EventFilter{ProcessID: a.process().ID, PerPage: 100})
	if err != nil {
		a.t.Fatal(err)
	}
	for _, e := range list {
		if strings.HasPrefix(e.Title, prefix) {
			return e
		}
	}
	a.t.Fatalf("no event %q", prefix)
	return nil
}

func TestEventsListMapAndFeed(t *testing.T) {
	a := newApp(t)
	c := a.client()
	res := c.get("/evenements")
	contains(t, res, "[Exemple] Atelier-relais : la participation dans les quartiers", "Rhône (69)", "La Réunion (974)",
		`<svg`, "Événements par département", `href="/evenements?departement=69#liste"`)
	lacks(t, res, "Ministère ouvert : la culture") // past by default
	contains(t, c.get("/evenements?passes=1"), "Ministère ouvert : la culture")
	res = c.get("/evenements?departement=35")
	contains(t, res, "transparence des collectivités", "1 événement")
	lacks(t, res, "participation dans les quartiers")
	contains(t, c.get("/evenements?en_ligne=1"), "le gouvernement ouvert et la santé", "1 événement")

	feed := c.get("/evenements.ics?departement=69")
	if !strings.HasPrefix(feed.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed type %q", feed.Header.Get("Content-Type"))
	}
	cal, err := goical.NewDecoder(strings.NewReader(feed.Body)).Decode()
	if err != nil {
		t.Fatalf("feed does not parse: %v", err)
	}
	if evs := cal.Events(); len(evs) != 1 {
		t.Fatalf("feed holds %d events", len(evs))
	} else if s, _ := evs[0].Props.Text(goical.PropSummary); !strings.Contains(s, "participation dans les quartiers") {
		t.Errorf("feed event %q", s)
	}
	e := a.eventByTitle("[Exemple] Atelier-relais : la participation")
	page := c.get("/evenements/" + itoa(e.ID))
	contains(t, page, "Centre social, 12 rue de la République, 69001 Lyon", "Rhône", "Auvergne-Rhône-Alpes", "accès de plain-pied", "0 places prises sur 25")
	ics := c.get("/evenements/" + itoa(e.ID) + "/ics")
	one, err := goical.NewDecoder(strings.NewReader(ics.Body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	start, _ := one.Events()[0].DateTimeStart(time.UTC)
	if !start.Equal(e.StartsAt) || start.In(a.process().Location()).Hour() != 18 {
		t.Errorf("ics start %v, want %v (18h in Paris)", start, e.StartsAt)
	}
	// The launch's programme, with its four parallel workshops.
	launch := a.eventByTitle("Ateliers de lancement")
	contains(t, c.get("/evenements/"+itoa(launch.ID)), "Salle de la Chapelle", "Salle 109", "Salle B", "Salle A", "Laure Lucchesi", "32 rue de Babylone")
}

// TestEventsListFollowsChanges checks that the kept parts of the list (the map, its tables) and
// the kept calendar feed change as soon as an event does.
func TestEventsListFollowsChanges(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.NoPageCache = true }) // the changes are made behind the server's back
	c := a.client()
	ctx := context.Background()
	p := a.process()
	row := `<a href="/evenements?departement=63#liste">Puy-de-Dôme (63)</a>`
	lacks(t, c.get("/evenements"), row)
	feed := c.get("/evenements.ics").Body
	start := time.Now().Add(50 * time.Hour).Truncate(time.Hour)
	e := &ouvert.Event{ProcessID: p.ID, Kind: ouvert.EventRelay, Title: "Atelier de Clermont", StartsAt: start, EndsAt: start.Add(time.Hour),
		Postcode: "63000", Commune: "Clermont-Ferrand", Departement: "63", Region: "84", Status: ouvert.EventPending}
	if err := a.db.CreateEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	lacks(t, c.get("/evenements"), row)
	if c.get("/evenements.ics").Body != feed {
		t.Error("a pending event changed the calendar feed")
	}
	for _, step := range []struct {
		status string
		shown  bool
	}{{ouvert.EventPublished, true}, {ouvert.EventCancelled, false}} {
		if err := a.db.SetEventStatus(ctx, e.ID, step.status); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(c.get("/evenements").Body, row); got != step.shown {
			t.Errorf("event %s: the table of départements lists the Puy-de-Dôme: %v; want %v", step.status, got, step.shown)
		}
		if got := strings.Contains(c.get("/evenements.ics").Body, "SUMMARY:Atelier de Clermont"); got != step.shown {
			t.Errorf("event %s: the feed holds it: %v; want %v", step.status, got, step.shown)
		}
	}
}

func TestRegisterWaitPromote(t *testing.T) {
	a := newApp(t)
	e := a.eventByTitle("[Exemple] Atelier-relais : transparence") // one place
	first, _ := a.user("premiere@exemple.fr", ouvert.RoleParticipant)
	second, _ := a.user("second@exemple.fr", ouvert.RoleParticipant)
	path := "/evenements/" + itoa(e.ID)
	if res := first.post(path+"/inscription", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", res.Status, res.Body)
	}
	contains(t, first.get(path), "Vous êtes inscrit·e", "1 places prises sur 1")
	contains(t, second.get(path), "Complet : m&#39;inscrire en liste d&#39;attente")
	second.post(path+"/inscription", nil)
	contains(t, second.get(path), "Vous êtes en liste d&#39;attente")
	msgs, _ := a.db.MailTo(context.Background(), "premiere@exemple.fr")
	if len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "Inscription confirmée") || msgs[0].AttachmentName == "" ||
		!bytes.Contains(msgs[0].Attachment, []byte("BEGIN:VEVENT")) {
		t.Fatalf("confirmation mail = %+v", msgs)
	}
	if res := first.post(path+"/annulation", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", res.Status)
	}
	contains(t, second.get(path), "Vous êtes inscrit·e")
	msgs, _ = a.db.MailTo(context.Background(), "second@exemple.fr")
	if len(msgs) != 2 || !strings.Contains(msgs[0].Subject, "Une place s'est libérée") {
		t.Fatalf("promotion mail = %+v", msgs)
	}
	if msgs[0].AttachmentName == "" {
		t.Error("promotion mail without the .ics")
	}
	if res := a.client().post(path+"/inscription", nil); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/connexion") {
		t.Errorf("anonymous registration: %d %q", res.Status, res.Location)
	}
}

func TestOrganiseRelayWorkshop(t *testing.T) {
	a := newApp(t)
	org, u := a.user("animatrice@exemple.fr", ouvert.RoleParticipant)
	day := time.Now().Add(10 * 24 * time.Hour).In(a.process().Location()).Format("2006-01-02")
	form := url.Values{"kind": {"relay_workshop"}, "title": {"Atelier à Marseille"}, "description": {"Venez **nombreux**."},
		"day": {day}, "start": {"18:00"}, "end": {"20:00"}, "address": {"1 rue du Port"}, "postcode": {"13001"},
		"organiser": {"Association marseillaise"}, "capacity": {"20"}, "registration": {"open"}, "access": {"step_free"},
		"axes": {itoa(a.process().Axes[1].ID)}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("postcode", "99999")
	bad.Set("end", "17:00")
	res := org.post("/evenements/nouveau", bad)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad event: %d", res.Status)
	}
	contains(t, res, "Ce code postal n&#39;existe pas", "La fin doit venir après le début", `value="Atelier à Marseille"`)
	res = org.post("/evenements/nouveau", form)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	path := res.Location
	contains(t, org.get(path), "attend la validation de la modération", "Marseille", "Bouches-du-Rhône")
	if res := a.client().get(path); res.Status != http.StatusNotFound {
		t.Errorf("a pending event is public: %d", res.Status)
	}
	lacks(t, a.client().get("/evenements"), "Atelier à Marseille")
	other, _ := a.user("autre@exemple.fr", ouvert.RoleParticipant)
	if res := other.post("/moderation/evenements/"+strings.TrimPrefix(path, "/evenements/"), url.Values{"action": {"approve"}}); res.Status != http.StatusForbidden {
		t.Errorf("a participant approved an event: %d", res.Status)
	}
	mod, _ := a.user("mod@exemple.fr", ouvert.RoleModerator)
	contains(t, mod.get("/moderation"), "Atelier à Marseille")
	mod.post("/moderation/evenements/"+strings.TrimPrefix(path, "/evenements/"), url.Values{"action": {"approve"}})
	contains(t, a.client().get("/evenements"), "Atelier à Marseille", "Bouches-du-Rhône (13)")
	msgs, _ := a.db.MailTo(context.Background(), u.Email)
	if len(msgs) == 0 || !strings.Contains(msgs[0].Subject, "publié") {
		t.Errorf("organiser not told: %+v", msgs)
	}

	// Registrations: the organiser sees them and exports a spreadsheet-safe CSV; others may not.
	p, _ := a.user("p@exemple.fr", ouvert.RoleParticipant)
	p.post("/profil", url.Values{"display_name": {`=HYPERLINK("http://evil.example","x")`}, "category": {"citizen"}})
	p.post(path+"/inscription", nil)
	csv := org.get(path + "/inscriptions.csv")
	if csv.Status != http.StatusOK || !strings.Contains(csv.Body, `'=HYPERLINK`) || strings.Contains(csv.Body, "\n=HYPERLINK") || strings.Contains(csv.Body, ",=HYPERLINK") {
		t.Fatalf("CSV export:\n%s", csv.Body)
	}
	for _, c := range []*client{other, a.client()} {
		res := c.get(path + "/inscriptions.csv")
		if res.Status != http.StatusForbidden && !(res.Status == http.StatusSeeOther && strings.HasPrefix(res.Location, "/connexion")) {
			t.Errorf("registrations exported to a stranger: %d", res.Status)
		}
	}
	// Only administration representatives create open ministries.
	form.Set("kind", "open_ministry")
	form.Set("host", "Ministère de la Culture")
	contains(t, org.post("/evenements/nouveau", form), "Seuls les représentants d&#39;une administration")
}

func TestAttendanceAndContactRegistrants(t *testing.T) {
	a := newApp(t)
	org, u := a.user("o@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	start := time.Now().Add(24 * time.Hour)
	e := &ouvert.Event{ProcessID: p.ID, Kind: ouvert.EventRelay, Title: "Atelier", StartsAt: start, EndsAt: start.Add(time.Hour),
		OnlineURL: "https://visio.exemple.fr/a", OrganiserID: u.ID, Organiser: "O", Registration: ouvert.RegistrationOpen, Status: ouvert.EventPublished}
	a.db.CreateEvent(context.Background(), e)
	r1, _ := a.user("r1@exemple.fr", ouvert.RoleParticipant)
	r1.post("/evenements/"+itoa(e.ID)+"/inscription", nil)
	regs, _ := a.db.Registrations(context.Background(), e.ID)
	path := "/evenements/" + itoa(e.ID)
	if res := r1.post(path+"/presences", url.Values{"present": {itoa(regs[0].ID)}}); res.Status != http.StatusForbidden {
		t.Errorf("a registrant marked attendance: %d", res.Status)
	}
	if res := r1.post(path+"/message", url.Values{"subject": {"x"}, "message": {"y"}}); res.Status != http.StatusForbidden {
		t.Errorf("a registrant wrote to everyone: %d", res.Status)
	}
	org.post(path+"/presences", url.Values{"present": {itoa(regs[0].ID)}})
	contains(t, org.get(path+"/inscriptions.csv"), "oui")
	res := org.post(path+"/message", url.Values{"subject": {"Changement de salle"}, "message": {"Rendez-vous salle B."}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("contact: %d", res.Status)
	}
	msgs, _ := a.db.MailTo(context.Background(), "r1@exemple.fr")
	if len(msgs) != 2 || msgs[0].ReplyTo != "o@exemple.fr" || !strings.Contains(msgs[0].Body, "Rendez-vous salle B.") {
		t.Fatalf("registrant's mail: %+v", msgs)
	}
}

func TestRegistrationOnApproval(t *testing.T) {
	a := newApp(t)
	org, u := a.user("o@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	start := time.Now().Add(24 * time.Hour)
	e := &ouvert.Event{ProcessID: p.ID, Kind: ouvert.EventRelay, Title: "Sur accord", StartsAt: start, EndsAt: start.Add(time.Hour),
		OnlineURL: "https://visio.exemple.fr/a", OrganiserID: u.ID, Organiser: "O", Registration: ouvert.RegistrationApproval, Status: ouvert.EventPublished}
	a.db.CreateEvent(context.Background(), e)
	r1, _ := a.user("r1@exemple.fr", ouvert.RoleParticipant)
	path := "/evenements/" + itoa(e.ID)
	r1.post(path+"/inscription", nil)
	contains(t, r1.get(path), "attend l&#39;accord de l&#39;organisateur")
	regs, _ := a.db.Registrations(context.Background(), e.ID)
	accept := path + "/inscriptions/" + itoa(regs[0].ID) + "/accepter"
	if res := r1.post(accept, nil); res.Status != http.StatusForbidden {
		t.Errorf("a registrant accepted themselves: %d", res.Status)
	}
	if res := org.post(accept, nil); res.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.Status)
	}
	contains(t, r1.get(path), "Vous êtes inscrit·e.")
	msgs, _ := a.db.MailTo(context.Background(), "r1@exemple.fr")
	if len(msgs) != 2 || !strings.Contains(msgs[0].Subject, "Inscription confirmée") {
		t.Fatalf("mails = %+v", msgs)
	}
}
