// Package demo loads, into an empty database, the process that the seed document describes:
// France's 2017-2019 national action plan under the Open Government Partnership, with its
// introduction, four axes, phases, the three ways to take part, contact, links and the launch
// event of 28 February 2017 with its full programme.
package demo

import (
	"context"
	"fmt"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// SeedStart is the seed's launch day. Every other date of the demo is placed relative to it.
var SeedStart = time.Date(2017, 2, 28, 0, 0, 0, 0, time.UTC)

// ideationOffset is the number of days from the launch to the opening of the ideation phase
// (28 February to 15 March 2017).
const ideationOffset = 15

// DefaultStart returns the launch day that puts today on the tenth day of the ideation phase,
// so that a newcomer can take part at once; the phases keep the seed's order and lengths.
func DefaultStart(today time.Time) time.Time {
	y, m, d := today.In(paris()).Date()
	return time.Date(y, m, d-ideationOffset-9, 0, 0, 0, 0, time.UTC)
}

func paris() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}

// Load writes the seed's process into db, with its launch day moved to start (the seed's real
// dates when start is SeedStart). It refuses a database that already holds a process.
func Load(ctx context.Context, db *store.DB, start time.Time) (*ouvert.Process, error) {
	if n, err := db.CountProcesses(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, fmt.Errorf("demo: the database already holds %d process(es); the demo loads only into an empty one", n)
	}
	shift := int(start.Sub(SeedStart).Hours() / 24)
	loc := paris()
	// at returns the seed's date y-m-d at h:min in Paris, moved by shift days.
	at := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d+shift, h, min, 0, 0, loc).UTC()
	}
	day := func(y int, m time.Month, d int) time.Time { return at(y, m, d, 0, 0) }

	p := Process(day)
	p.Example = shift != 0
	if err := db.CreateProcess(ctx, p); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	e := LaunchEvent(at)
	e.ProcessID = p.ID
	if err := db.CreateEvent(ctx, e); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := LoadExamples(ctx, db, p); err != nil {
		return nil, err
	}
	for _, ev := range ExampleEvents(at, p) {
		if err := db.CreateEvent(ctx, ev); err != nil {
			return nil, fmt.Errorf("demo: example event: %w", err)
		}
	}
	// The syntheses of the first phase were published on 31 May 2017: the demo shows them, and a
	// response on every example contribution, once that day has passed.
	if published := at(2017, time.May, 31, 10, 0); !published.After(db.Now()) {
		if err := LoadSynthesis(ctx, db, p, published); err != nil {
			return nil, err
		}
	}
	// The writing phase ended on 15 July 2017: then the demo shows its example drafts, finished.
	writingOver := false
	if writing := p.Phase(ouvert.PhaseWriting); writing != nil && !writing.EndsAt.After(db.Now()) {
		writingOver = true
		if err := LoadDrafts(ctx, db, p, at); err != nil {
			return nil, err
		}
	}
	// The previous plan, open for review, always; the 2017-2019 plan once published (September 2017).
	if err := LoadPlans(ctx, db, p, at, writingOver); err != nil {
		return nil, err
	}
	return db.CurrentProcess(ctx)
}

// Process returns the seed's process; day gives the (possibly shifted) start of a seed day.
// Phase ends are exclusive: the ideation phase "du 15 mars au 15 avril" ends at the start of
// 16 April.
func Process(day func(int, time.Month, int) time.Time) *ouvert.Process {
	return &ouvert.Process{
		Slug:         "plan-action-2017-2019",
		Title:        "Plan d'action national 2017-2019",
		Subtitle:     "dans le cadre du Partenariat pour un Gouvernement Ouvert",
		ContactEmail: "gouvernement-ouvert@etalab.gouv.fr",
		TimeZone:     "Europe/Paris",
		Intro: `Le Sommet mondial du Partenariat pour un gouvernement ouvert, organisé à Paris en décembre 2016, a permis de porter collectivement le chantier du futur de la démocratie sur le plan international. Par le niveau d'implication des administrations et de la société civile, il a fait du gouvernement ouvert un sujet de société. **Capitalisons sur cette dynamique pour faire avancer l'agenda du gouvernement ouvert.**

En juillet 2015, la France, en tant que membre du Partenariat pour un gouvernement ouvert, a publié son premier plan d'action national pour une action publique transparente et collaborative pour la période 2015-2017.

Dans la continuité de ces engagements et afin de renouveler ses ambitions en matière de gouvernement ouvert, la France publiera en septembre 2017 son deuxième plan d'action national pour la période 2017-2019.

**Contribuez au renouvellement des engagements de la France.** Vous faites partie d'une administration ou de toute autre organisation publique ; d'une association, d'une ONG, d'un think tank ou du secteur privé ; vous êtes chercheur ou issu du monde académique ; ou souhaitez tout simplement vous engager pour plus de transparence, de participation et d'innovation dans l'action publique ? Participez !`,
		Axes: []ouvert.Axis{
			{Title: "Ouvrir plus de données pour créer des biens communs numériques"},
			{Title: "Augmenter la participation citoyenne et l'inclusion de nouveaux publics"},
			{Title: "Accroître la transparence, la redevabilité et l'innovation dans l'action publique"},
			{Title: "Mettre le gouvernement ouvert au service de nouveaux thèmes : santé, inclusion, logement, éducation..."},
		},
		Phases: []ouvert.Phase{
			{Kind: ouvert.PhaseLaunch, Title: "Lancement",
				Description: "Ateliers de lancement au Secrétariat d'État chargé de la Réforme de l'État et de la Simplification, 32 rue de Babylone, Paris.",
				StartsAt:    day(2017, 2, 28), EndsAt: day(2017, 3, 15)},
			{Kind: ouvert.PhaseIdeation, Title: "Consultation en ligne : phase d'idéation",
				Description: "Phase d'idéation pour établir les grands axes, les priorités et les thématiques à traiter.",
				StartsAt:    day(2017, 3, 15), EndsAt: day(2017, 4, 16)},
			{Kind: ouvert.PhaseSynthesis, Title: "Synthèse de la première phase",
				Description: "Les organisateurs synthétisent les contributions de la première phase, axe par axe, et publient les synthèses.",
				StartsAt:    day(2017, 4, 16), EndsAt: day(2017, 6, 15)},
			{Kind: ouvert.PhaseWriting, Title: "Consultation en ligne : écriture collaborative",
				Description: "Phase d'écriture collaborative des engagements sur la base des synthèses de la première phase.",
				StartsAt:    day(2017, 6, 15), EndsAt: day(2017, 7, 16)},
			{Kind: ouvert.PhasePublication, Title: "Publication du plan d'action",
				Description: "La France publie en septembre 2017 son deuxième plan d'action national pour la période 2017-2019.",
				StartsAt:    day(2017, 7, 16), EndsAt: day(2017, 10, 1)},
			{Kind: ouvert.PhaseImplementation, Title: "Mise en œuvre et suivi",
				Description: "Les administrations mettent en œuvre les engagements du plan et en rendent compte publiquement.",
				StartsAt:    day(2017, 10, 1), EndsAt: day(2019, 10, 1)},
		},
		Themes: []ouvert.Theme{
			{Name: "Données ouvertes"}, {Name: "Numérique"}, {Name: "Participation"}, {Name: "Transparence"},
			{Name: "Redevabilité"}, {Name: "Santé"}, {Name: "Inclusion"}, {Name: "Logement"}, {Name: "Éducation"},
			{Name: "Environnement"}, {Name: "Justice"}, {Name: "Collectivités locales"},
		},
		Channels: []ouvert.Channel{
			{Kind: ouvert.ChannelOnline, Title: "Consultation en ligne",
				Description: "2 grandes phases, ouvertes à tous les publics intéressés : phase d'idéation pour établir les grands axes, les priorités et les thématiques à traiter (15 mars au 15 avril) ; phase d'écriture collaborative des engagements sur la base des synthèses de la première phase (15 juin au 15 juillet)."},
			{Kind: ouvert.ChannelOpenMinistry, Title: "Ministères ouverts",
				Description: "Événements de dialogue entre administrations et société civile pour alimenter la consultation en ligne et revenir sur les engagements et les atouts du premier plan d'action national."},
			{Kind: ouvert.ChannelRelay, Title: "Ateliers-relais",
				Description: "Événements participatifs pour alimenter la consultation en ligne. Ces ateliers-relais pourront être organisés librement, sur l'ensemble du territoire par tout acteur intéressé. Ils peuvent porter sur des thématiques précises ou transversales. Des supports de travail seront disponibles en ligne."},
		},
		Links: []ouvert.Link{
			{Label: "SGMAP : modernisation.gouv.fr", URL: "https://www.modernisation.gouv.fr"},
			{Label: "Etalab : etalab.gouv.fr", URL: "https://www.etalab.gouv.fr"},
			{Label: "Plan d'action national : gouvernement-ouvert.etalab.gouv.fr", URL: "https://gouvernement-ouvert.etalab.gouv.fr"},
			{Label: "Sommet mondial 2016 du PGO : www.sommetpgo.org", URL: "https://www.sommetpgo.org"},
			{Label: "Twitter : @sg_map", URL: "https://twitter.com/sg_map"},
			{Label: "Twitter : @Etalab", URL: "https://twitter.com/Etalab"},
		},
	}
}

// LaunchEvent returns the launch event of 28 February 2017 with the seed's programme; at gives
// the (possibly shifted) time of a seed day at an hour and minute in Paris. The seed gives no
// end for the closing and no room for the read-out: the closing is given a quarter of an hour.
func LaunchEvent(at func(int, time.Month, int, int, int) time.Time) *ouvert.Event {
	t := func(h, m int) time.Time { return at(2017, 2, 28, h, m) }
	chapelle := "Salle de la Chapelle"
	return &ouvert.Event{
		Kind:        ouvert.EventLaunch,
		Title:       "Ateliers de lancement du plan d'action 2017-2019",
		Description: "Lancement de l'élaboration du plan d'action français 2017-2019 dans le cadre du Partenariat pour un Gouvernement Ouvert. #MinistereOuvert",
		StartsAt:    t(16, 0),
		EndsAt:      t(19, 30),
		Venue:       "Secrétariat d'État chargé de la Réforme de l'État et de la Simplification",
		Address:     "32 rue de Babylone, 75007 Paris",
		Organiser:   "Secrétariat d'État chargé de la Réforme de l'État et de la Simplification ; mission Etalab (SGMAP)",
		Postcode:    "75007", Commune: "Paris", Departement: "75", Region: "11",
		// The seed gives no capacities: these are the demo's, so that a visitor can register and
		// choose a workshop when the launch is ahead.
		Capacity: 200, Registration: ouvert.RegistrationOpen, Status: ouvert.EventPublished,
		Sessions: []ouvert.EventSession{
			{StartsAt: t(16, 0), EndsAt: t(16, 15), Title: "Accueil des participants"},
			{StartsAt: t(16, 15), EndsAt: t(16, 30), Title: "Ouverture", Room: chapelle,
				Speakers: []ouvert.Speaker{{Name: "Jean-Vincent Placé", Role: "secrétaire d'État chargé de la Réforme de l'État et de la Simplification"}}},
			{StartsAt: t(16, 30), EndsAt: t(16, 40), Title: "Le gouvernement ouvert et la modernisation de l'action publique", Room: chapelle,
				Speakers: []ouvert.Speaker{{Name: "Laure de la Bretèche", Role: "secrétaire générale pour la modernisation de l'action publique (SGMAP)"}}},
			{StartsAt: t(16, 40), EndsAt: t(17, 0), Title: "Présentation du dispositif d'élaboration du Plan d'action 2017-2019", Room: chapelle,
				Speakers: []ouvert.Speaker{{Name: "Laure Lucchesi", Role: "directrice de la mission Etalab au sein du SGMAP"}}},
			{StartsAt: t(17, 0), EndsAt: t(18, 30), Title: "Atelier 1 : Retours d'expérience du Plan d'action national 2015-2017", Room: chapelle, ParallelGroup: "ateliers", Capacity: 50},
			{StartsAt: t(17, 0), EndsAt: t(18, 30), Title: "Atelier 2 : Un Plan d'action national innovant et impactant", Room: "Salle 109", ParallelGroup: "ateliers", Capacity: 50},
			{StartsAt: t(17, 0), EndsAt: t(18, 30), Title: "Atelier 3 : Les nouvelles thématiques du gouvernement ouvert", Room: "Salle B", ParallelGroup: "ateliers", Capacity: 50},
			{StartsAt: t(17, 0), EndsAt: t(18, 30), Title: "Atelier 4 : Inclure de nouveaux publics dans le gouvernement ouvert", Room: "Salle A", ParallelGroup: "ateliers", Capacity: 50},
			{StartsAt: t(18, 45), EndsAt: t(19, 15), Title: "Restitution des ateliers"},
			{StartsAt: t(19, 15), EndsAt: t(19, 30), Title: "Clôture"},
		},
	}
}
