package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"ouvert/internal/ouvert"
)

func TestCalendarParsesBack(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	e := &ouvert.Event{ID: 7, Title: "Atelier-relais ; données, santé \\ et « inclusion »",
		Description: strings.Repeat("Une longue description avec des accents é à ç. ", 10),
		StartsAt:    time.Date(2017, 2, 28, 17, 0, 0, 0, paris), EndsAt: time.Date(2017, 2, 28, 18, 30, 0, 0, paris),
		Venue: "Salle A", Address: "32 rue de Babylone", Postcode: "75007", Commune: "Paris", Organiser: `Etalab "SGMAP"`,
		Status: ouvert.EventPublished}
	data := Calendar("Événements", []*ouvert.Event{e}, "https://ouvert.exemple.fr", time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC))
	for _, l := range strings.Split(string(data), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line longer than 75 octets: %q", l)
		}
	}
	cal, err := goical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, data)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events", len(events))
	}
	ev := events[0]
	if got, _ := ev.Props.Text(goical.PropSummary); got != e.Title {
		t.Errorf("summary = %q", got)
	}
	if got, _ := ev.Props.Text(goical.PropDescription); got != strings.TrimSpace(e.Description) {
		t.Errorf("description = %q", got)
	}
	start, err := ev.DateTimeStart(time.UTC)
	if err != nil || !start.Equal(e.StartsAt) {
		t.Errorf("start = %v, %v; want %v", start, err, e.StartsAt)
	}
	end, err := ev.DateTimeEnd(time.UTC)
	if err != nil || !end.Equal(e.EndsAt) || end.In(paris).Format("15:04") != "18:30" {
		t.Errorf("end = %v, %v", end, err)
	}
	if got, _ := ev.Props.Text(goical.PropLocation); got != "Salle A, 32 rue de Babylone, 75007 Paris" {
		t.Errorf("location = %q", got)
	}
	if uid, _ := ev.Props.Text(goical.PropUID); uid != "event-7@ouvert.exemple.fr" {
		t.Errorf("uid = %q", uid)
	}
}
