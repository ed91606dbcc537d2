package demo

import (
	"context"
	"fmt"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// exampleDraft is an example draft commitment of the demo, with what happened to it during the
// writing phase.
type exampleDraft struct {
	axis       int
	lead       string
	sources    []string // titles of example contributions it draws on
	title      string
	sections   map[string]string
	comments   []exampleComment
	amendments []exampleAmendment
	edit       map[string]string // a direct edit by the lead administration, section by section
	editNote   string
}

type exampleComment struct {
	section   string
	paragraph int
	stance    string
	body      string
}

type exampleAmendment struct {
	section  string
	text     string
	reason   string
	decision string
	changed  string // for accepted_modified
	why      string
}

var exampleDrafts = []exampleDraft{
	{
		axis: 0, lead: "Direction interministérielle du numérique (exemple)",
		sources: []string{"Publier les codes sources des logiciels de l'administration", "Un registre public des algorithmes utilisés par l'administration"},
		title:   "[Exemple] Ouvrir les codes sources et expliquer les algorithmes publics",
		sections: map[string]string{
			ouvert.SectionProblem: "Les logiciels développés par ou pour l'administration restent le plus souvent fermés.\n\n" +
				"Les personnes concernées par une décision prise à l'aide d'un algorithme ne savent pas comment elle a été calculée.",
			ouvert.SectionStatusQuo:  "La loi pour une République numérique fait des codes sources des documents administratifs communicables, mais peu sont publiés.",
			ouvert.SectionCommitment: "Publier sous licence libre les codes sources des logiciels de l'administration.\n\nTenir un inventaire public des algorithmes qui fondent des décisions individuelles, avec leurs règles expliquées simplement.",
			ouvert.SectionHow:        "Chacun pourra vérifier, réutiliser et améliorer les logiciels publics, et comprendre les décisions qui le concernent.",
			ouvert.SectionRelevance:  "Transparence et redevabilité : les règles appliquées par l'administration deviennent lisibles.",
			ouvert.SectionMilestones: "Guide de publication des codes sources | 2017-09 | 2017-12\nInventaire des algorithmes de trois ministères | 2018-01 | 2018-09",
		},
		comments: []exampleComment{
			{ouvert.SectionCommitment, 2, ouvert.StanceFor, "Indispensable pour les affectations dans l'enseignement supérieur."},
			{ouvert.SectionCommitment, 2, ouvert.StanceNeutral, "Qui tiendra cet inventaire à jour ?"},
			{ouvert.SectionProblem, 1, ouvert.StanceFor, "C'est vrai aussi des collectivités locales."},
		},
		amendments: []exampleAmendment{
			{ouvert.SectionCommitment, "Publier sous licence libre, par défaut, les codes sources des logiciels de l'administration, sauf exception motivée.\n\nTenir un inventaire public des algorithmes qui fondent des décisions individuelles, avec leurs règles expliquées simplement.",
				"La publication doit être la règle, et l'exception justifiée.", ouvert.AmendmentAccepted, "", "Accepté : le principe « ouvert par défaut » est repris."},
			{ouvert.SectionMilestones, "Guide de publication des codes sources | 2017-09 | 2017-12\nInventaire des algorithmes de tous les ministères | 2018-01 | 2018-06",
				"Trois ministères, c'est trop peu.", ouvert.AmendmentAcceptedModified, "Guide de publication des codes sources | 2017-09 | 2017-12\nInventaire des algorithmes de trois ministères | 2018-01 | 2018-06\nInventaire de tous les ministères | 2018-07 | 2019-06",
				"Accepté avec un calendrier en deux temps : trois ministères d'abord, puis tous."},
			{ouvert.SectionHow, "Rien ne changera sans sanction.", "Il faut prévoir des sanctions.", ouvert.AmendmentRejected, "",
				"Rejeté : les sanctions relèvent de la loi, pas du plan d'action ; l'inventaire public permettra de suivre les manquements."},
		},
		edit:     map[string]string{ouvert.SectionAmbition: "Faire de l'ouverture des codes sources et de l'explication des algorithmes la règle dans toute l'administration d'ici 2019."},
		editNote: "Ajout de l'ambition après les échanges de la consultation.",
	},
	{
		axis: 2, lead: "Haute Autorité pour la transparence de la vie publique (exemple)",
		sources: []string{"Un registre des représentants d'intérêts plus complet"},
		title:   "[Exemple] Un registre complet des représentants d'intérêts",
		sections: map[string]string{
			ouvert.SectionProblem:    "On ne sait pas qui rencontre les décideurs publics, ni à quel sujet.",
			ouvert.SectionCommitment: "Publier dans un registre ouvert les activités des représentants d'intérêts auprès du Gouvernement et du Parlement.",
			ouvert.SectionMilestones: "Ouverture du registre | 2017-07 | 2017-07\nPremier bilan public | 2018-07 | 2018-09",
		},
		comments: []exampleComment{{ouvert.SectionCommitment, 1, ouvert.StanceFor, "Et les collectivités locales ?"}},
		amendments: []exampleAmendment{
			{ouvert.SectionCommitment, "Publier dans un registre ouvert, en données ouvertes, les activités des représentants d'intérêts auprès du Gouvernement, du Parlement et des grandes collectivités.",
				"Le registre doit être réutilisable et couvrir les collectivités.", ouvert.AmendmentAcceptedModified,
				"Publier dans un registre ouvert, en données ouvertes, les activités des représentants d'intérêts auprès du Gouvernement et du Parlement.",
				"Les données ouvertes sont retenues ; l'extension aux collectivités demande une loi et n'est pas retenue ici."},
		},
	},
}

// LoadDrafts writes the demo's example draft commitments as the writing phase left them, at the
// seed's dates (shifted like the rest): versions, paragraph comments, amendments accepted,
// accepted with changes and rejected with their reasons, and the final versions settled after the
// phase. at gives the seed's (shifted) moments.
func LoadDrafts(ctx context.Context, db *store.DB, p *ouvert.Process, at func(int, time.Month, int, int, int) time.Time) error {
	clock := db.Now
	defer func() { db.Now = clock }()
	setNow := func(t time.Time) { db.Now = func() time.Time { return t } }
	byTitle := map[string]int64{}
	list, _, err := db.Contributions(ctx, store.ContributionFilter{ProcessID: p.ID, Sort: store.SortOldest, PerPage: len(examples) + 1})
	if err != nil {
		return err
	}
	for _, c := range list {
		byTitle[c.Title] = c.ID
	}
	person := func(i int) int64 {
		u, err := db.UserByEmail(ctx, fmt.Sprintf("exemple-%d@ouvert.invalid", i))
		if err != nil {
			return 0
		}
		return u.ID
	}
	for i, ex := range exampleDrafts {
		rep := &ouvert.User{Email: fmt.Sprintf("exemple-administration-%d@ouvert.invalid", i+1), PasswordHash: "!",
			DisplayName: ex.lead, Role: ouvert.RoleAdministration, Administration: ex.lead, Category: ouvert.CategoryAdministration}
		setNow(at(2017, time.June, 16, 9, 0))
		if err := db.CreateUser(ctx, rep); err != nil {
			return fmt.Errorf("demo: example representative: %w", err)
		}
		d := &ouvert.Draft{ProcessID: p.ID, AxisID: p.Axes[ex.axis].ID, LeadAdministration: ex.lead, Example: true}
		for _, t := range ex.sources {
			d.Contributions = append(d.Contributions, byTitle[t])
		}
		v := &ouvert.DraftVersion{Title: ex.title, AuthorID: rep.ID, Values: []string{"transparency", "accountability"}, Sections: ex.sections,
			PeriodStart: at(2017, time.September, 1, 0, 0), PeriodEnd: at(2019, time.June, 30, 0, 0)}
		setNow(at(2017, time.June, 16, 10, 0))
		if err := db.CreateDraft(ctx, d, v); err != nil {
			return fmt.Errorf("demo: example draft: %w", err)
		}
		for j, c := range ex.comments {
			setNow(at(2017, time.June, 18+j, 14, 0))
			dc := &ouvert.DraftComment{DraftID: d.ID, Section: c.section, Paragraph: c.paragraph, Stance: c.stance, Body: c.body,
				AuthorID: person(3 + 5*j + i), Example: true}
			if err := db.CommentDraft(ctx, dc); err != nil {
				return fmt.Errorf("demo: example comment: %w", err)
			}
		}
		for j, a := range ex.amendments {
			setNow(at(2017, time.June, 22+j, 11, 0))
			am := &ouvert.Amendment{DraftID: d.ID, Section: a.section, Text: a.text, Reason: a.reason, AuthorID: person(10 + 7*j + i)}
			if err := db.ProposeAmendment(ctx, am); err != nil {
				return fmt.Errorf("demo: example amendment: %w", err)
			}
			for k := range 6 {
				value := ouvert.VoteAgree
				if (k+j)%3 == 0 {
					value = ouvert.VoteDisagree
				}
				if err := db.VoteAmendment(ctx, am.ID, person(20+k+3*j), value); err != nil {
					return fmt.Errorf("demo: example amendment vote: %w", err)
				}
			}
			setNow(at(2017, time.July, 3+j, 16, 0))
			if _, err := db.DecideAmendment(ctx, am.ID, rep.ID, store.Decision{Status: a.decision, Text: a.changed, Reason: a.why}); err != nil {
				return fmt.Errorf("demo: example decision: %w", err)
			}
		}
		for k := range 12 {
			section := ""
			if k%3 == 1 {
				section = ouvert.SectionCommitment
			}
			value := ouvert.VoteAgree
			if k%5 == 4 {
				value = ouvert.VoteMixed
			}
			if err := db.VoteDraft(ctx, d.ID, section, person(30+k), value); err != nil {
				return fmt.Errorf("demo: example draft vote: %w", err)
			}
		}
		if len(ex.edit) > 0 {
			current, err := db.Draft(ctx, d.ID)
			if err != nil {
				return err
			}
			next := *current.Version
			next.Sections = map[string]string{}
			for k, s := range current.Version.Sections {
				next.Sections[k] = s
			}
			for k, s := range ex.edit {
				next.Sections[k] = s
			}
			next.AuthorID, next.AmendmentID, next.Summary = rep.ID, 0, ex.editNote
			setNow(at(2017, time.July, 10, 9, 0))
			if err := db.EditDraft(ctx, d.ID, &next); err != nil {
				return fmt.Errorf("demo: example edit: %w", err)
			}
		}
		if err := db.MarkFinal(ctx, d.ID); err != nil {
			return err
		}
	}
	return nil
}
