package web

import (
	"io"
	"strconv"

	"ouvert/internal/csvsafe"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// writeRegistrationsCSV writes what an organiser needs to welcome people: name, address, public,
// session, status and date. Nothing else about them leaves the database.
func writeRegistrationsCSV(w io.Writer, e *ouvert.Event, regs []store.Registration) error {
	sessions := map[int64]string{}
	for _, s := range e.Sessions {
		sessions[s.ID] = s.Title
	}
	cw := csvsafe.NewWriter(w)
	cw.Write("numero", "nom", "adresse", "categorie", "session", "statut", "present", "inscrit_le")
	for i, r := range regs {
		present := "non"
		if r.Attended {
			present = "oui"
		}
		cw.Write(strconv.Itoa(i+1), r.Name, r.Email, string(r.Category), sessions[r.SessionID], r.Status, present, r.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"))
	}
	return cw.Flush()
}
