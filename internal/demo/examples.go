package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// example is an example contribution of the demo, on an axis (0 to 3), with its arguments.
type example struct {
	axis      int
	themes    []string
	title     string
	body      string
	arguments []exampleArgument
}

type exampleArgument struct {
	stance, body string
	reply        string
}

// examples are written for the demo, in French, and shown as example content everywhere.
var examples = []example{
	{0, []string{"Données ouvertes", "Santé"}, "Ouvrir les données de la qualité des soins des hôpitaux",
		"Publier en open data, établissement par établissement, les indicateurs de qualité et de sécurité des soins, avec leur méthode de calcul.",
		[]exampleArgument{{"for", "Les patients pourraient choisir en connaissance de cause.", "Et les journalistes vérifier les classements publiés chaque année."}, {"against", "Sans explication, des indicateurs bruts peuvent être mal interprétés.", ""}}},
	{0, []string{"Données ouvertes", "Collectivités locales"}, "Un socle commun de données ouvertes pour toutes les communes",
		"Définir une liste minimale de jeux de données (budget, délibérations, équipements, marchés publics) que chaque commune publie dans un format commun.",
		[]exampleArgument{{"for", "Un format commun permet de comparer les communes entre elles.", ""}, {"neutral", "Les petites communes auront besoin d'aide technique pour y arriver.", "Les intercommunalités pourraient mutualiser ce travail."}}},
	{0, []string{"Données ouvertes", "Transparence"}, "Publier les codes sources des logiciels de l'administration",
		"Tout logiciel développé par ou pour l'administration est publié sous licence libre, sauf exception motivée.",
		[]exampleArgument{{"for", "Ce qui est payé par le public doit revenir au public.", ""}}},
	{0, []string{"Données ouvertes"}, "Ouvrir les données des transports publics en temps réel",
		"Horaires, retards et perturbations des transports publics publiés en temps réel et réutilisables librement.",
		[]exampleArgument{{"for", "Les applications de mobilité en ont besoin pour être fiables.", ""}}},
	{0, []string{"Numérique", "Données ouvertes"}, "Un registre public des algorithmes utilisés par l'administration",
		"Lister les algorithmes qui fondent des décisions individuelles (bourses, affectations, impôts), avec leurs règles expliquées simplement.",
		[]exampleArgument{{"for", "Chacun doit pouvoir comprendre une décision qui le concerne.", ""}, {"neutral", "Il faudra former les agents pour répondre aux questions.", ""}}},
	{0, []string{"Environnement", "Données ouvertes"}, "Ouvrir les données de qualité de l'air et de l'eau",
		"Mesures brutes des stations de surveillance, publiées chaque heure avec leur historique.", nil},
	{0, []string{"Éducation", "Données ouvertes"}, "Des données ouvertes sur les moyens des établissements scolaires",
		"Publier par établissement les moyens attribués : postes, heures, budgets de fonctionnement.", nil},
	{0, []string{"Logement", "Données ouvertes"}, "Ouvrir les données des logements sociaux vacants",
		"Publier régulièrement le nombre de logements sociaux vacants par commune et la durée de vacance.", nil},

	{1, []string{"Participation", "Inclusion"}, "Des ateliers-relais dans les quartiers prioritaires",
		"Organiser des ateliers-relais avec les centres sociaux et les associations de quartier pour aller chercher ceux qui ne participent jamais en ligne.",
		[]exampleArgument{{"for", "La participation en ligne exclut une partie de la population.", "Les médiathèques peuvent aussi accueillir ces ateliers."}, {"for", "Les associations connaissent déjà les habitants.", ""}}},
	{1, []string{"Participation"}, "Rendre compte de la suite donnée à chaque contribution",
		"Chaque contribution reçoit une réponse motivée : retenue, fusionnée, écartée, et pourquoi.",
		[]exampleArgument{{"for", "Sans retour, les gens ne participent qu'une fois.", ""}}},
	{1, []string{"Participation", "Justice"}, "Tirer au sort des citoyens pour suivre le plan d'action",
		"Un comité de citoyens tirés au sort suit la mise en œuvre des engagements et publie un avis chaque année.",
		[]exampleArgument{{"for", "Le tirage au sort fait entendre des profils variés.", ""}, {"against", "Sans moyens ni formation, un tel comité restera symbolique.", "On peut prévoir une indemnisation et un appui d'experts."}}},
	{1, []string{"Inclusion", "Numérique"}, "Des consultations accessibles à tous",
		"Toutes les consultations publiques en ligne respectent le RGAA et proposent une version en facile à lire et à comprendre.", nil},
	{1, []string{"Éducation", "Participation"}, "Former les élèves à la participation citoyenne",
		"Des projets au collège et au lycée où les élèves contribuent à une vraie consultation locale.", nil},
	{1, []string{"Collectivités locales", "Participation"}, "Un budget participatif dans chaque département",
		"Une part du budget d'investissement décidée par les habitants, avec un suivi public des projets.",
		[]exampleArgument{{"neutral", "Il faut prévoir comment voter sans ordinateur.", ""}}},
	{1, []string{"Inclusion"}, "Traduire les consultations dans les langues les plus parlées",
		"Proposer les pages principales des consultations dans plusieurs langues, dont la langue des signes en vidéo.", nil},
	{1, []string{"Participation"}, "Ouvrir les réunions des conseils consultatifs au public",
		"Publier les dates, ordres du jour et comptes rendus des conseils consultatifs nationaux.", nil},

	{2, []string{"Transparence", "Redevabilité"}, "Publier l'agenda des ministres et des cabinets",
		"Publier chaque semaine les rendez-vous des ministres et de leurs conseillers avec les représentants d'intérêts.",
		[]exampleArgument{{"for", "C'est déjà le cas dans plusieurs pays européens.", ""}, {"against", "Certaines rencontres doivent rester confidentielles.", "Les exceptions peuvent être prévues et motivées."}}},
	{2, []string{"Redevabilité"}, "Un tableau de bord public des engagements du plan",
		"Chaque engagement a des jalons datés et un état d'avancement mis à jour par l'administration pilote.",
		[]exampleArgument{{"for", "On saura enfin ce qui a été fait.", ""}}},
	{2, []string{"Transparence"}, "Publier les avis juridiques qui fondent les décisions publiques",
		"Rendre publics, après la décision, les avis sur lesquels l'administration s'est fondée.", nil},
	{2, []string{"Transparence", "Collectivités locales"}, "Des marchés publics entièrement transparents",
		"Publier les données essentielles de tous les marchés publics dès le premier euro, avec les avenants.", nil},
	{2, []string{"Redevabilité", "Justice"}, "Protéger les lanceurs d'alerte dans l'administration",
		"Un canal de signalement indépendant et une protection effective des agents qui signalent des irrégularités.",
		[]exampleArgument{{"for", "Sans protection, personne n'osera signaler.", ""}}},
	{2, []string{"Transparence"}, "Publier les rapports des inspections générales",
		"Publier par défaut les rapports des inspections générales, sauf secret protégé par la loi.", nil},
	{2, []string{"Numérique", "Redevabilité"}, "Mesurer et publier la satisfaction des usagers",
		"Afficher pour chaque démarche en ligne la satisfaction des usagers et les délais de traitement.", nil},
	{2, []string{"Transparence"}, "Un registre des représentants d'intérêts plus complet",
		"Inclure les actions auprès des collectivités locales et publier les dépenses engagées.", nil},

	{3, []string{"Santé", "Transparence"}, "Transparence des liens d'intérêts dans la santé",
		"Améliorer la base publique des liens entre industriels et professionnels de santé : recherche simple, données ouvertes.",
		[]exampleArgument{{"for", "Les patients ont le droit de savoir.", ""}}},
	{3, []string{"Logement", "Participation"}, "Associer les habitants à la rénovation de leur quartier",
		"Les projets de rénovation urbaine sont co-construits avec les habitants, avec un suivi public.", nil},
	{3, []string{"Éducation", "Numérique"}, "Des ressources éducatives libres",
		"Les ressources pédagogiques financées sur fonds publics sont publiées sous licence libre.",
		[]exampleArgument{{"for", "Les enseignants pourront les adapter et les partager.", ""}}},
	{3, []string{"Inclusion", "Numérique"}, "Garder un accueil humain pour chaque service public",
		"Aucune démarche ne doit être uniquement en ligne : un accueil physique ou téléphonique reste possible.",
		[]exampleArgument{{"for", "Des millions de personnes sont éloignées du numérique.", ""}, {"neutral", "Les maisons de services au public peuvent jouer ce rôle.", ""}}},
	{3, []string{"Environnement", "Participation"}, "Un gouvernement ouvert pour la transition écologique",
		"Associer les citoyens aux choix d'investissement de la transition écologique, avec des données publiques sur les émissions.", nil},
	{3, []string{"Justice", "Données ouvertes"}, "Ouvrir les décisions de justice",
		"Publier toutes les décisions de justice, pseudonymisées, dans un format réutilisable.",
		[]exampleArgument{{"against", "La pseudonymisation doit être parfaite pour protéger les personnes.", "Des outils existent et peuvent être vérifiés."}}},
	{3, []string{"Santé", "Participation"}, "Associer les patients aux décisions des agences sanitaires",
		"Des représentants d'usagers siègent dans les instances de décision des agences sanitaires.", nil},
	{3, []string{"Logement", "Transparence"}, "Transparence des attributions de logements sociaux",
		"Publier les critères d'attribution et des statistiques anonymes sur les attributions.", nil},
}

// LoadExamples adds the example contributions of the demo to a process, each from an example
// participant, with arguments and votes drawn from a fixed seed so that every demo looks the same.
// They are marked as example content.
func LoadExamples(ctx context.Context, db *store.DB, p *ouvert.Process) error {
	rng := rand.New(rand.NewPCG(2017, 2019))
	names := []string{"Camille", "Dominique", "Claude", "Sacha", "Alix", "Maxime", "Morgane", "Yannick", "Lou", "Noa",
		"Eden", "Charlie", "Andréa", "Stéphane", "Frédérique", "Ange"}
	cats := ouvert.Categories
	var people []int64
	for i := range 60 {
		u := &ouvert.User{
			Email:        fmt.Sprintf("exemple-%d@ouvert.invalid", i+1),
			PasswordHash: "!", // example participants cannot log in
			DisplayName:  fmt.Sprintf("%s (exemple %d)", names[i%len(names)], i+1),
			Category:     cats[i%len(cats)],
		}
		if err := db.CreateUser(ctx, u); err != nil {
			return fmt.Errorf("demo: example participant: %w", err)
		}
		people = append(people, u.ID)
	}
	themeID := map[string]int64{}
	for _, th := range p.Themes {
		themeID[th.Name] = th.ID
	}
	var votes []store.VoteRow
	for i, ex := range examples {
		c := &ouvert.Contribution{ProcessID: p.ID, AxisID: p.Axes[ex.axis].ID, AuthorID: people[i%len(people)],
			Title: ex.title, Body: ex.body, Example: true}
		for _, th := range ex.themes {
			c.ThemeIDs = append(c.ThemeIDs, themeID[th])
		}
		if err := db.CreateContribution(ctx, c); err != nil {
			return fmt.Errorf("demo: example %q: %w", ex.title, err)
		}
		for j, a := range ex.arguments {
			arg := &ouvert.Argument{ContributionID: c.ID, AuthorID: people[(i+7*j+3)%len(people)], Stance: a.stance, Body: a.body, Example: true}
			if err := db.CreateArgument(ctx, arg); err != nil {
				return fmt.Errorf("demo: example argument: %w", err)
			}
			if a.reply != "" {
				rep := &ouvert.Argument{ContributionID: c.ID, ParentID: arg.ID, AuthorID: people[(i+11*j+5)%len(people)], Body: a.reply, Example: true}
				if err := db.CreateArgument(ctx, rep); err != nil {
					return fmt.Errorf("demo: example reply: %w", err)
				}
			}
		}
		// Between 5 and 40 votes, leaning to agreement.
		n := 5 + rng.IntN(36)
		for _, k := range rng.Perm(len(people))[:n] {
			v := ouvert.VoteAgree
			switch x := rng.IntN(10); {
			case x >= 8:
				v = ouvert.VoteDisagree
			case x >= 6:
				v = ouvert.VoteMixed
			}
			votes = append(votes, store.VoteRow{ContributionID: c.ID, UserID: people[k], Value: v, At: time.Now()})
		}
	}
	return db.ImportVotes(ctx, votes)
}
