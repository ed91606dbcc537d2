package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ouvert/internal/i18n"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/synthesis"
)

// exampleAnswers are the responses of the example contributions that are not simply retained,
// by title; a merge names the example it merges into.
var exampleAnswers = map[string]struct {
	response ouvert.Response
	reason   string
	into     string
}{
	"Ouvrir les données des transports publics en temps réel": {ouvert.ResponseOutOfScope,
		"Les données de transport relèvent des autorités organisatrices de la mobilité et d'une loi en préparation, pas du plan d'action.", ""},
	"Des données ouvertes sur les moyens des établissements scolaires": {ouvert.ResponseNotRetained,
		"Ces moyens sont déjà publiés par le ministère chaque année ; la synthèse retient plutôt un format commun aux données locales.", ""},
	"Ouvrir les données des logements sociaux vacants": {ouvert.ResponseMerged,
		"Même demande que la transparence des attributions de logements sociaux : les deux sont traitées ensemble.",
		"Transparence des attributions de logements sociaux"},
	"Publier l'agenda des ministres et des cabinets": {ouvert.ResponseMerged,
		"L'agenda des rencontres avec les représentants d'intérêts fait partie du registre demandé par la contribution de destination.",
		"Un registre des représentants d'intérêts plus complet"},
	"Ouvrir les décisions de justice": {ouvert.ResponseOutOfScope,
		"La loi pour une République numérique prévoit déjà cette ouverture ; son calendrier relève du ministère de la Justice.", ""},
}

// LoadSynthesis answers every example contribution and publishes, at the seed's date of 31 May
// 2017 (shifted like the rest), a synthesis per axis and an overall one citing them. All of it is
// example content. Contributions without an answer of their own in exampleAnswers are retained.
func LoadSynthesis(ctx context.Context, db *store.DB, p *ouvert.Process, at time.Time) error {
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	l := cat.Locale(i18n.Default, p.Location())
	list, _, err := db.Contributions(ctx, store.ContributionFilter{ProcessID: p.ID, Sort: store.SortOldest, PerPage: len(examples) + 1})
	if err != nil {
		return err
	}
	byTitle := map[string]*ouvert.Contribution{}
	byAxis := map[int64][]*ouvert.Contribution{}
	for _, c := range list {
		if c.Example {
			byTitle[c.Title] = c
			byAxis[c.AxisID] = append(byAxis[c.AxisID], c)
		}
	}
	for _, c := range byTitle {
		a := ouvert.Answer{Response: ouvert.ResponseRetained, Reason: "Reprise dans la synthèse de son axe, parmi les propositions les plus soutenues.", At: at}
		if x, ok := exampleAnswers[c.Title]; ok {
			a.Response, a.Reason = x.response, x.reason
			if x.into != "" {
				a.Target = byTitle[x.into].ID
			}
		}
		if _, err := db.Answer(ctx, p.ID, []int64{c.ID}, a, 0); err != nil {
			return fmt.Errorf("demo: answer %q: %w", c.Title, err)
		}
	}
	publish := func(axisID int64, title, text string) error {
		s := &ouvert.Synthesis{ProcessID: p.ID, AxisID: axisID, Title: title, Draft: text, Example: true}
		if err := db.SaveSynthesis(ctx, s); err != nil {
			return err
		}
		expanded, cited, unknown, err := synthesis.Prepare(ctx, db, l, p.ID, axisID, text, at)
		if err != nil {
			return err
		} else if len(unknown) > 0 {
			return fmt.Errorf("demo: synthesis %q cites unknown contributions %v", title, unknown)
		}
		_, err = db.PublishSynthesis(ctx, s.ID, expanded, cited, 0, at)
		return err
	}
	var overall strings.Builder
	overall.WriteString("*Contenu d'exemple.* La première phase de la consultation a réuni les contributions en ligne, " +
		"celles des ministères ouverts et celles des ateliers-relais. Voici ce qu'en retiennent les synthèses de chaque axe.\n\n[[chiffres]]\n")
	for _, axis := range p.Axes {
		var b strings.Builder
		b.WriteString("*Contenu d'exemple.*\n\n## Ce que les participants ont proposé\n\n")
		var refused []string
		for _, c := range byAxis[axis.ID] {
			ref := "[[C-" + strconv.FormatInt(c.ID, 10) + "]]"
			if x, ok := exampleAnswers[c.Title]; ok && x.response != ouvert.ResponseRetained {
				refused = append(refused, "- "+ref+" : "+x.reason)
				continue
			}
			b.WriteString("- " + ref + "\n")
		}
		if len(refused) > 0 {
			b.WriteString("\n## Ce qui n'est pas repris, et pourquoi\n\n" + strings.Join(refused, "\n") + "\n")
		}
		b.WriteString("\n## La participation sur cet axe\n\n[[chiffres]]\n")
		title := l.T("synthesis.default_axis", axis.Position, axis.Title)
		if err := publish(axis.ID, title, b.String()); err != nil {
			return fmt.Errorf("demo: synthesis of axis %d: %w", axis.Position, err)
		}
		fmt.Fprintf(&overall, "\n## Axe %d : %s\n\n%d contributions ; la synthèse de l'axe en retient les propositions les plus soutenues.\n",
			axis.Position, axis.Title, len(byAxis[axis.ID]))
	}
	if err := publish(0, l.T("synthesis.default_overall"), overall.String()); err != nil {
		return fmt.Errorf("demo: overall synthesis: %w", err)
	}
	return nil
}
