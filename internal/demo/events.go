package demo

import (
	"time"

	"ouvert/internal/ouvert"
)

// ExampleEvents returns the demo's example open ministries and relay workshops, placed around
// the ideation phase like the rest of the calendar, and marked as examples.
func ExampleEvents(at func(int, time.Month, int, int, int) time.Time, p *ouvert.Process) []*ouvert.Event {
	const note = "\n\n*Événement d'exemple de la démonstration.*"
	axis := func(i int) []int64 { return []int64{p.Axes[i].ID} }
	return []*ouvert.Event{
		{ProcessID: p.ID, Kind: ouvert.EventOpenMinistry, Status: ouvert.EventPublished,
			Title:       "[Exemple] Ministère ouvert : la culture et les données ouvertes",
			Description: "Dialogue entre le ministère de la Culture et la société civile sur l'ouverture des données culturelles, et retour sur les engagements du plan 2015-2017." + note,
			StartsAt:    at(2017, 3, 20, 14, 0), EndsAt: at(2017, 3, 20, 17, 0),
			Venue: "Ministère de la Culture", Address: "3 rue de Valois", Postcode: "75001", Commune: "Paris", Departement: "75", Region: "11",
			Organiser: "Ministère de la Culture", HostAdministration: "Ministère de la Culture", Audience: "Associations, chercheurs, agents publics, tout public",
			Accessibility: []string{"step_free", "induction_loop"}, Capacity: 60, Registration: ouvert.RegistrationOpen, AxisIDs: axis(0)},
		{ProcessID: p.ID, Kind: ouvert.EventRelay, Status: ouvert.EventPublished,
			Title:       "[Exemple] Atelier-relais : la participation dans les quartiers",
			Description: "Atelier ouvert à toutes et tous pour proposer des idées sur l'inclusion de nouveaux publics. Les idées produites sont saisies dans la consultation." + note,
			StartsAt:    at(2017, 3, 28, 18, 0), EndsAt: at(2017, 3, 28, 20, 30),
			Venue: "Centre social", Address: "12 rue de la République", Postcode: "69001", Commune: "Lyon", Departement: "69", Region: "84",
			Organiser: "Association d'exemple", Audience: "Habitants du quartier",
			Accessibility: []string{"step_free", "easy_read"}, Capacity: 25, Registration: ouvert.RegistrationOpen, AxisIDs: axis(1)},
		{ProcessID: p.ID, Kind: ouvert.EventRelay, Status: ouvert.EventPublished,
			Title:       "[Exemple] Atelier-relais : transparence des collectivités",
			Description: "Un atelier pour imaginer des engagements de transparence locale." + note,
			StartsAt:    at(2017, 4, 1, 10, 0), EndsAt: at(2017, 4, 1, 12, 30),
			Venue: "Médiathèque", Address: "1 place de la Mairie", Postcode: "35000", Commune: "Rennes", Departement: "35", Region: "53",
			Organiser: "Collectif d'exemple", Capacity: 1, Registration: ouvert.RegistrationOpen, AxisIDs: axis(2)},
		{ProcessID: p.ID, Kind: ouvert.EventRelay, Status: ouvert.EventPublished,
			Title:       "[Exemple] Atelier-relais en ligne : le gouvernement ouvert et la santé",
			Description: "Atelier en visioconférence, avec sous-titrage en direct." + note,
			StartsAt:    at(2017, 4, 5, 18, 30), EndsAt: at(2017, 4, 5, 20, 0),
			OnlineURL: "https://visio.exemple.invalid/atelier-sante", Organiser: "Réseau d'exemple",
			Accessibility: []string{"captions"}, Registration: ouvert.RegistrationNone, AxisIDs: axis(3)},
		{ProcessID: p.ID, Kind: ouvert.EventRelay, Status: ouvert.EventPublished,
			Title:       "[Exemple] Atelier-relais : les données publiques à La Réunion",
			Description: "Atelier sur les données ouvertes utiles aux territoires ultramarins." + note,
			StartsAt:    at(2017, 4, 8, 9, 0), EndsAt: at(2017, 4, 8, 12, 0),
			Venue: "Université", Address: "15 avenue René Cassin", Postcode: "97400", Commune: "Saint-Denis", Departement: "974", Region: "04",
			Organiser: "Collectif d'exemple", Registration: ouvert.RegistrationNone, AxisIDs: axis(0)},
	}
}
