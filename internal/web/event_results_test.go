package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"ouvert/internal/ouvert"
)

// postMultipart posts a form with an optional CSV file.
func (c *client) postMultipart(path string, fields map[string]string, csv string) response {
	c.a.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if csv != "" {
		f, _ := w.CreateFormFile("csv", "idees.csv")
		f.Write([]byte(csv))
	}
	w.Close()
	req, _ := http.NewRequest("POST", c.a.srv.URL+path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", c.a.srv.URL)
	return c.do(req)
}

func TestEventResultsBecomeContributions(t *testing.T) {
	a := newApp(t)
	org, u := a.user("animatrice@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	start := time.Now().Add(-3 * time.Hour)
	e := &ouvert.Event{ProcessID: p.ID, Kind: ouvert.EventRelay, Title: "Atelier de Nantes", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Postcode: "44000", Commune: "Nantes", Departement: "44", Region: "52", OrganiserID: u.ID, Organiser: "Collectif nantais",
		Registration: ouvert.RegistrationNone, AxisIDs: []int64{p.Axes[1].ID}}
	if err := a.db.CreateEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	path := "/evenements/" + itoa(e.ID) + "/restitution"
	if res := org.get(path); res.Status != http.StatusOK {
		t.Fatalf("results form: %d", res.Status)
	}
	stranger, _ := a.user("autre@exemple.fr", ouvert.RoleParticipant)
	if res := stranger.get(path); res.Status != http.StatusForbidden {
		t.Errorf("a stranger opens the results form: %d", res.Status)
	}
	if res := stranger.postMultipart(path, map[string]string{"ideas": "Une idée pirate assez longue."}, ""); res.Status != http.StatusForbidden {
		t.Errorf("a stranger posts results: %d", res.Status)
	}
	fields := map[string]string{
		"attendance": "23", "cat_citizen": "15", "cat_association": "6", "report": "Une soirée **riche** d'échanges.",
		"axis":  itoa(p.Axes[1].ID),
		"ideas": "Des permanences citoyennes en mairie chaque mois.\n\nUn budget participatif pour les collèges.\r\n\r\nTraduire les comptes rendus en facile à lire.",
	}
	bad := "axe,titre,texte,pour\n2,Idée correcte,Une idée correcte et assez longue.,\n7,Mauvais axe,Une idée sur un axe qui n'existe pas.,\n"
	res := org.postMultipart(path, fields, bad)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad CSV: %d", res.Status)
	}
	contains(t, res, "Ligne 3, colonne axe", "rien n&#39;a été enregistré", "Des permanences citoyennes en mairie chaque mois.")
	if list, _ := a.db.EventContributions(context.Background(), e.ID); len(list) != 0 {
		t.Fatalf("a refused CSV saved %d ideas", len(list))
	}
	good := "axe,titre,texte,pour\n1,Ouvrir les horaires,Publier les horaires des services publics en données ouvertes.,\n3,,Rendre publics les comptes des associations subventionnées.,Marie Curie\n"
	res = org.postMultipart(path, fields, good)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("results: %d\n%s", res.Status, res.Body)
	}
	ideas, _ := a.db.EventContributions(context.Background(), e.ID)
	if len(ideas) != 5 {
		t.Fatalf("%d ideas saved, want 5", len(ideas))
	}
	var facilitated *ouvert.Contribution
	for _, c := range ideas {
		if c.OriginEventID != e.ID || c.OriginEvent != "Atelier de Nantes" {
			t.Errorf("idea %q has origin %q/%d", c.Title, c.Origin, c.OriginEventID)
		}
		if c.OnBehalfOf == "Marie Curie" {
			facilitated = c
		}
	}
	if facilitated == nil || facilitated.Origin != ouvert.OriginFacilitated || facilitated.AxisID != p.Axes[2].ID {
		t.Fatalf("facilitated idea = %+v", facilitated)
	}
	page := a.client().get("/evenements/" + itoa(e.ID))
	contains(t, page, "23 participants", "<strong>riche</strong>", "5 idées versées à la consultation", "Des permanences citoyennes en mairie chaque mois.")
	contains(t, a.client().get("/contributions/"+itoa(ideas[0].ID)), "issue de l&#39;événement", "Atelier de Nantes")
	list := a.client().get("/consultation?origine=event&tri=newest")
	contains(t, list, "Un budget participatif pour les collèges.")
	lacks(t, list, "Rendre publics les comptes des associations subventionnées.") // facilitated, not "event"
	contains(t, a.client().get("/consultation?origine=facilitated"), "Rendre publics les comptes")

	// Once the ideation phase is over, ideas are refused with a clear message, the report is kept.
	ideation := p.Phase(ouvert.PhaseIdeation)
	a.db.SetPhaseDates(context.Background(), ideation.ID, ouvert.Phase{StartsAt: ideation.StartsAt, EndsAt: time.Now().Add(-time.Minute)})
	time.Sleep(1100 * time.Millisecond)
	res = org.postMultipart(path, map[string]string{"attendance": "24", "axis": itoa(p.Axes[0].ID), "ideas": "Une idée arrivée trop tard."}, "")
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("ideas after the phase: %d", res.Status)
	}
	contains(t, res, "La phase d&#39;idéation est close", "Une idée arrivée trop tard.")
}
