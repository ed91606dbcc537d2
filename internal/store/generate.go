package store

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"ouvert/internal/ouvert"
	"ouvert/internal/textsearch"
)

// GenerateVersion changes whenever Generate writes different data for the same options, so that
// benchmarks caching a generated database know to build it again.
const GenerateVersion = 1

// BusyArguments is how many top-level arguments Generate gives its busiest contribution, when
// it is asked for at least that many arguments.
const BusyArguments = 1000

// GenerateOptions says how much synthetic participation Generate writes.
type GenerateOptions struct {
	Contributions, Votes, Arguments int
	// Users is the number of participants; 0 picks one from the other sizes.
	Users int
	// Texts are real statements (such as Polis') that titles and bodies are made of, varied by
	// dropping and swapping words. Without texts, a few built-in French sentences are used.
	Texts []string
	// Seed makes the data reproducible.
	Seed uint64
}

// GenerateResult tells what Generate wrote. IDs of each kind are consecutive.
type GenerateResult struct {
	FirstUser, LastUser                 int64
	FirstContribution, LastContribution int64
	// Busy is the contribution with BusyArguments top-level arguments (or half the arguments
	// when fewer than BusyArguments were asked for); 0 without arguments.
	Busy                     int64
	BusyArguments            int
	Votes, TopLevel, Replies int
	Users, Contributions     int
	// Took is how long each step took: users, contributions, votes, arguments, counters, analyze.
	Took                        map[string]time.Duration
	FirstArgument, LastArgument int64
}

// bulkRows is how many rows one INSERT statement carries: with the widest table (13 columns)
// that is 6,500 parameters, under both SQLite's (32,766) and PostgreSQL's (65,535) limits.
const bulkRows = 500

// Generate bulk-loads synthetic but plausible participation into an existing process, for
// benchmarks and load tests: users (gen-ID@generate.invalid, who cannot log in), published
// contributions spread over the process' axes and over the last month, distinct votes with a
// skewed popularity, arguments and one-level replies, with one contribution given many
// arguments. It then sets every counter (votes, arguments, replies, the process' and axes'
// contribution counts) from the rows with set-based statements, and runs ANALYZE (VACUUM
// ANALYZE on PostgreSQL).
//
// It assigns ids itself (after the highest existing ones), so it is meant for a database that
// nothing else writes to meanwhile. It writes in a few large transactions: if it fails half-way,
// what was committed stays.
func (db *DB) Generate(ctx context.Context, processID int64, o GenerateOptions) (GenerateResult, error) {
	var res GenerateResult
	if o.Contributions < 0 || o.Votes < 0 || o.Arguments < 0 || o.Users < 0 {
		return res, fmt.Errorf("store: generate: negative size")
	}
	if o.Contributions == 0 && (o.Votes > 0 || o.Arguments > 0) {
		return res, fmt.Errorf("store: generate: votes and arguments need contributions")
	}
	if o.Users == 0 {
		o.Users = max(50, o.Votes/40, o.Contributions/4, o.Arguments/12)
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	g := &generator{db: db, rng: rng, terms: map[string][]string{}}
	g.setTexts(o.Texts)

	var axes, themes []int64
	if err := db.each(ctx, func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		axes = append(axes, id)
		return err
	}, `SELECT id FROM axes WHERE process_id = ? ORDER BY position`, processID); err != nil {
		return res, fmt.Errorf("store: generate: %w", err)
	}
	if len(axes) == 0 {
		return res, fmt.Errorf("store: generate: process %d has no axis", processID)
	}
	if err := db.each(ctx, func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		themes = append(themes, id)
		return err
	}, `SELECT id FROM themes WHERE process_id = ? ORDER BY position`, processID); err != nil {
		return res, fmt.Errorf("store: generate: %w", err)
	}

	if db.dialect.name() == "sqlite" {
		// A large page cache for the writer while it fills the indexes in random order; the
		// writer is a single long-lived connection, so it is set back at the end.
		if _, err := db.write.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			return res, err
		}
		defer db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`)
	}

	res.Took = map[string]time.Duration{}
	t0 := time.Now()
	lap := func(step string) {
		res.Took[step] = time.Since(t0).Round(time.Millisecond)
		t0 = time.Now()
	}
	now := db.Now()
	month := 30 * 24 * time.Hour
	start := now.Add(-month)

	// Users.
	err := db.WithTx(ctx, func(tx *Tx) error {
		first, err := tx.nextID(ctx, "users")
		if err != nil {
			return err
		}
		res.FirstUser, res.LastUser, res.Users = first, first+int64(o.Users)-1, o.Users
		b := tx.bulk(ctx, "users", "id, email, password_hash, display_name, category, role, lang, confirmed_at, created_at, digest")
		for i := range o.Users {
			id := first + int64(i)
			at := start.Add(-time.Duration(rng.Int64N(int64(month))))
			if err := b.add(id, fmt.Sprintf("gen-%d@generate.invalid", id), "!", fmt.Sprintf("Participant %d", id),
				ouvert.CategoryCitizen, ouvert.RoleParticipant, "fr", at, at, false); err != nil {
				return err
			}
		}
		return b.flush()
	})
	if err != nil {
		return res, fmt.Errorf("store: generate users: %w", err)
	}
	lap("users")
	user := func() int64 { return res.FirstUser + rng.Int64N(int64(o.Users)) }

	// Contributions, oldest first, with a theme for most of them.
	created := make([]time.Time, o.Contributions)
	err = db.WithTx(ctx, func(tx *Tx) error {
		first, err := tx.nextID(ctx, "contributions")
		if err != nil {
			return err
		}
		res.FirstContribution, res.LastContribution, res.Contributions = first, first+int64(o.Contributions)-1, o.Contributions
		b := tx.bulk(ctx, "contributions", "id, process_id, axis_id, author_id, title, body, origin, status, example, shuffle, search, created_at, updated_at")
		th := tx.bulk(ctx, "contribution_themes", "contribution_id, theme_id")
		step := float64(month) / float64(max(o.Contributions, 1))
		var themed [][2]int64 // inserted once their contributions are
		for i := range o.Contributions {
			id := first + int64(i)
			at := start.Add(time.Duration((float64(i) + rng.Float64()) * step)).Truncate(time.Microsecond)
			created[i] = at
			title, body, search := g.contribution()
			if err := b.add(id, processID, axes[rng.IntN(len(axes))], user(), title, body, ouvert.OriginOnline,
				ouvert.StatusPublished, false, rng.Int32(), search, at, at); err != nil {
				return err
			}
			if len(themes) > 0 && rng.IntN(3) > 0 {
				themed = append(themed, [2]int64{id, themes[rng.IntN(len(themes))]})
			}
		}
		if err := b.flush(); err != nil {
			return err
		}
		for _, t := range themed {
			if err := th.add(t[0], t[1]); err != nil {
				return err
			}
		}
		return th.flush()
	})
	if err != nil {
		return res, fmt.Errorf("store: generate contributions: %w", err)
	}
	lap("contributions")
	// between returns a moment after t and before now.
	between := func(t time.Time) time.Time {
		if !t.Before(now) {
			return now
		}
		return t.Add(time.Duration(rng.Int64N(int64(now.Sub(t))))).Truncate(time.Microsecond)
	}

	// Votes: a skewed number per contribution, each from distinct users (a stride through the
	// users, coprime with their number, from a random start).
	if o.Votes > 0 {
		counts := skewed(rng, o.Contributions, o.Votes, o.Users)
		err = db.WithTx(ctx, func(tx *Tx) error {
			b := tx.bulk(ctx, "votes", "contribution_id, user_id, value, created_at, updated_at")
			for i, k := range counts {
				if k == 0 {
					continue
				}
				cid := res.FirstContribution + int64(i)
				u0, stride := rng.IntN(o.Users), coprimeStride(rng, o.Users)
				// Each contribution leans one way: some mostly agreed with, some divisive.
				lean := rng.Float64()
				for j := range k {
					uid := res.FirstUser + int64((u0+j*stride)%o.Users)
					v := ouvert.VoteDisagree
					switch x := rng.Float64(); {
					case x < lean*0.85:
						v = ouvert.VoteAgree
					case x < lean*0.85+0.15:
						v = ouvert.VoteMixed
					}
					at := between(created[i])
					if err := b.add(cid, uid, v, at, at); err != nil {
						return err
					}
				}
				res.Votes += k
			}
			return b.flush()
		})
		if err != nil {
			return res, fmt.Errorf("store: generate votes: %w", err)
		}
	}
	lap("votes")

	// Arguments: the busiest contribution's, then others' top-level arguments, then replies
	// (a fifth of them) to random top-level arguments; each kind in the order of its time.
	if o.Arguments > 0 {
		replies := o.Arguments / 5
		top := o.Arguments - replies
		busyN := BusyArguments
		if o.Arguments < BusyArguments {
			busyN = o.Arguments / 2
			replies = (o.Arguments - busyN) / 5
			top = o.Arguments - replies
		} else if top < BusyArguments {
			top, replies = BusyArguments, o.Arguments-BusyArguments
		}
		busy := 0
		if o.Contributions > 1 {
			busy = rng.IntN(o.Contributions)
		}
		res.Busy, res.BusyArguments = res.FirstContribution+int64(busy), busyN
		// Others get a skewed share of the rest, capped well below the busiest.
		limit := max(1, min(BusyArguments/2, top))
		others := skewed(rng, o.Contributions, top-busyN, limit)
		if o.Contributions > 1 {
			// skewed spread the rows over every contribution: move the busiest's share elsewhere.
			free := 0
			for j, k := range others {
				if j != busy {
					free += limit - k
				}
			}
			for deficit := min(others[busy], free); deficit > 0; {
				j := rng.IntN(o.Contributions)
				if j != busy && others[j] < limit {
					others[j]++
					deficit--
				}
			}
		}
		others[busy] = busyN
		type arg struct {
			contribution int // index
			parent       int64
			at           time.Time
		}
		args := make([]arg, 0, top)
		for i, k := range others {
			for range k {
				args = append(args, arg{contribution: i, at: between(created[i])})
			}
		}
		slices.SortFunc(args, func(a, b arg) int { return a.at.Compare(b.at) })
		err = db.WithTx(ctx, func(tx *Tx) error {
			first, err := tx.nextID(ctx, "arguments")
			if err != nil {
				return err
			}
			res.FirstArgument = first
			cols := "id, contribution_id, parent_id, author_id, stance, body, status, created_at"
			b := tx.bulk(ctx, "arguments", cols)
			stances := []string{ouvert.StanceFor, ouvert.StanceFor, ouvert.StanceAgainst, ouvert.StanceNeutral}
			for i, a := range args {
				if err := b.add(first+int64(i), res.FirstContribution+int64(a.contribution), nil, user(),
					stances[rng.IntN(len(stances))], g.argument(), ouvert.StatusPublished, a.at); err != nil {
					return err
				}
			}
			if err := b.flush(); err != nil {
				return err
			}
			res.TopLevel = len(args)
			reps := make([]arg, 0, replies)
			for range replies {
				p := rng.IntN(len(args))
				reps = append(reps, arg{contribution: args[p].contribution, parent: first + int64(p), at: between(args[p].at)})
			}
			slices.SortFunc(reps, func(a, b arg) int { return a.at.Compare(b.at) })
			next := first + int64(len(args))
			for i, a := range reps {
				if err := b.add(next+int64(i), res.FirstContribution+int64(a.contribution), a.parent, user(),
					"", g.argument(), ouvert.StatusPublished, a.at); err != nil {
					return err
				}
			}
			res.Replies = len(reps)
			res.LastArgument = next + int64(len(reps)) - 1
			return b.flush()
		})
		if err != nil {
			return res, fmt.Errorf("store: generate arguments: %w", err)
		}
	}
	lap("arguments")

	if err := db.recount(ctx, processID, res); err != nil {
		return res, fmt.Errorf("store: generate: recount: %w", err)
	}
	lap("counters")
	if db.dialect.name() == "postgres" {
		for _, t := range []string{"users", "contributions", "arguments"} {
			if _, err := db.exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT MAX(id) FROM `+t+`))`); err != nil {
				return res, fmt.Errorf("store: generate: sequence of %s: %w", t, err)
			}
		}
	}
	// On PostgreSQL the recount left a dead version of every contribution and argument, and no
	// visibility map: vacuum them, as autovacuum would in time, so that index-only scans work.
	analyze := `ANALYZE`
	if db.dialect.name() == "postgres" {
		analyze = `VACUUM ANALYZE`
	}
	if _, err := db.exec(ctx, analyze); err != nil {
		return res, fmt.Errorf("store: generate: analyze: %w", err)
	}
	lap("analyze")
	return res, nil
}

// recount sets the counters that the write paths keep from the rows, with set-based statements.
func (db *DB) recount(ctx context.Context, processID int64, r GenerateResult) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		stmts := []struct {
			q    string
			args []any
		}{
			// One statement for the four counters of a contribution, so that each row (and its
			// entries in the list indexes) is rewritten once.
			{`UPDATE contributions SET agree = t.agree, mixed = t.mixed, disagree = t.disagree, arguments = t.arguments FROM (
				SELECT c.id, COALESCE(v.agree, 0) AS agree, COALESCE(v.mixed, 0) AS mixed, COALESCE(v.disagree, 0) AS disagree,
					COALESCE(a.n, 0) AS arguments
				FROM contributions c
				LEFT JOIN (SELECT contribution_id, SUM(CASE WHEN value = 1 THEN 1 ELSE 0 END) AS agree,
						SUM(CASE WHEN value = 0 THEN 1 ELSE 0 END) AS mixed, SUM(CASE WHEN value = -1 THEN 1 ELSE 0 END) AS disagree
					FROM votes WHERE contribution_id BETWEEN ? AND ? GROUP BY contribution_id) v ON v.contribution_id = c.id
				LEFT JOIN (SELECT contribution_id, COUNT(*) AS n FROM arguments
					WHERE parent_id IS NULL AND contribution_id BETWEEN ? AND ? GROUP BY contribution_id) a ON a.contribution_id = c.id
				WHERE c.id BETWEEN ? AND ?) t
				WHERE contributions.id = t.id`, []any{r.FirstContribution, r.LastContribution, r.FirstContribution, r.LastContribution,
				r.FirstContribution, r.LastContribution}},
			{`UPDATE arguments SET replies = t.n FROM (
				SELECT parent_id, COUNT(*) AS n FROM arguments WHERE parent_id BETWEEN ? AND ? GROUP BY parent_id) t
				WHERE arguments.id = t.parent_id`, []any{r.FirstArgument, r.LastArgument}},
			{`UPDATE processes SET contributions = (SELECT COUNT(*) FROM contributions c
				WHERE c.process_id = processes.id AND c.status = 'published') WHERE id = ?`, []any{processID}},
			{`UPDATE axes SET contributions = (SELECT COUNT(*) FROM contributions c
				WHERE c.process_id = axes.process_id AND c.axis_id = axes.id AND c.status = 'published') WHERE process_id = ?`, []any{processID}},
			{`DELETE FROM response_counts WHERE process_id = ?`, []any{processID}},
			{`INSERT INTO response_counts (process_id, axis_id, response, n) SELECT process_id, axis_id, response, COUNT(*)
				FROM contributions WHERE process_id = ? AND status = 'published' GROUP BY process_id, axis_id, response`, []any{processID}},
		}
		for _, s := range stmts {
			if _, err := tx.exec(ctx, s.q, s.args...); err != nil {
				return err
			}
		}
		return tx.recountFilters(ctx, processID)
	})
}

// nextID returns the id after the highest of a table.
func (tx *Tx) nextID(ctx context.Context, table string) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM `+table).Scan(&id)
	return id, err
}

// bulkInsert gathers rows into multi-row INSERT statements of bulkRows rows.
type bulkInsert struct {
	tx    *Tx
	ctx   context.Context
	head  string
	tuple string
	full  string // the statement of a full batch, built once
	args  []any
	n     int
}

func (tx *Tx) bulk(ctx context.Context, table, columns string) *bulkInsert {
	cols := strings.Count(columns, ",") + 1
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return &bulkInsert{tx: tx, ctx: ctx, head: "INSERT INTO " + table + " (" + columns + ") VALUES ", tuple: tuple,
		args: make([]any, 0, cols*bulkRows)}
}

func (b *bulkInsert) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.n++
	if b.n == bulkRows {
		return b.flush()
	}
	return nil
}

func (b *bulkInsert) flush() error {
	if b.n == 0 {
		return nil
	}
	q := b.statement(b.n)
	if b.n == bulkRows {
		if b.full == "" {
			b.full = q
		}
		q = b.full
	}
	_, err := b.tx.exec(b.ctx, q, b.args...)
	b.args, b.n = b.args[:0], 0
	return err
}

func (b *bulkInsert) statement(n int) string {
	if n == bulkRows && b.full != "" {
		return b.full
	}
	var s strings.Builder
	s.Grow(len(b.head) + n*(len(b.tuple)+2))
	s.WriteString(b.head)
	for i := range n {
		if i > 0 {
			s.WriteString(", ")
		}
		s.WriteString(b.tuple)
	}
	return s.String()
}

// skewed splits total among n slots with a log-normal popularity, each slot holding at most
// limit; it gives back less than total only when n*limit is less.
func skewed(rng *rand.Rand, n, total, limit int) []int {
	out := make([]int, n)
	if n == 0 || total <= 0 || limit <= 0 {
		return out
	}
	total = min(total, n*limit)
	w := make([]float64, n)
	var sumW float64
	for i := range w {
		w[i] = math.Exp(rng.NormFloat64() * 1.1)
		sumW += w[i]
	}
	given := 0
	for i := range out {
		out[i] = min(limit, int(float64(total)*w[i]/sumW))
		given += out[i]
	}
	for given < total {
		i := rng.IntN(n)
		if out[i] < limit {
			out[i]++
			given++
		}
	}
	return out
}

// coprimeStride returns a step in [1, n) coprime with n, so that j*step mod n visits distinct
// values for j < n.
func coprimeStride(rng *rand.Rand, n int) int {
	if n <= 2 {
		return 1
	}
	for {
		s := 1 + rng.IntN(n-1)
		if gcd(s, n) == 1 {
			return s
		}
	}
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// generator makes texts from real statements.
type generator struct {
	db    *DB
	rng   *rand.Rand
	texts [][]string // each statement's words
	terms map[string][]string
}

var builtinTexts = []string{
	"Publier en données ouvertes les subventions versées aux associations, avec leur objet et leur montant.",
	"Organiser des budgets participatifs dans chaque ministère, ouverts à tous les citoyens.",
	"Rendre accessibles à tous les avis des instances consultatives avant chaque décision.",
	"Associer les usagers à l'évaluation des services publics numériques et publier les résultats.",
	"Ouvrir le code source des logiciels développés par l'administration et accepter les contributions.",
	"Créer un registre public des représentants d'intérêts consultable en ligne, mis à jour chaque mois.",
	"Former les agents publics à la participation citoyenne et à la médiation numérique.",
	"Tirer au sort des citoyens pour suivre la mise en œuvre des engagements du plan d'action.",
}

func (g *generator) setTexts(texts []string) {
	if len(texts) == 0 {
		texts = builtinTexts
	}
	for _, t := range texts {
		if f := strings.Fields(t); len(f) > 0 {
			g.texts = append(g.texts, f)
		}
	}
	if len(g.texts) == 0 {
		g.texts = [][]string{strings.Fields(builtinTexts[0])}
	}
}

// variant returns a statement's words with up to two dropped and up to two adjacent pairs swapped.
func (g *generator) variant() []string {
	src := g.texts[g.rng.IntN(len(g.texts))]
	w := slices.Clone(src)
	for k := g.rng.IntN(3); k > 0 && len(w) > 4; k-- {
		i := g.rng.IntN(len(w))
		w = slices.Delete(w, i, i+1)
	}
	for k := g.rng.IntN(3); k > 0 && len(w) > 1; k-- {
		i := g.rng.IntN(len(w) - 1)
		w[i], w[i+1] = w[i+1], w[i]
	}
	return w
}

// contribution returns a title, a body and the body's search document. Terms are computed per
// whitespace-separated word and cached: words never span whitespace, so the concatenation is
// exactly textsearch.Document(title, body).
func (g *generator) contribution() (title, body, search string) {
	words := g.variant()
	// The title: the first sentence, cut on a word to fit.
	var tw []string
	n := 0
	for i, w := range words {
		l := utf8.RuneCountInString(w)
		if n+l+1 > ouvert.MaxTitleLen-1 {
			if len(tw) == 0 {
				tw = append(tw, string([]rune(w)[:ouvert.MaxTitleLen-2]))
			}
			tw[len(tw)-1] += "…"
			break
		}
		tw = append(tw, w)
		n += l + 1
		if i >= 4 && strings.ContainsAny(w[len(w)-1:], ".?!") {
			break
		}
	}
	bodyWords := words
	if g.rng.IntN(3) == 0 || utf8.RuneCountInString(strings.Join(words, " ")) < ouvert.MinBodyLen {
		bodyWords = append(slices.Clone(words), g.variant()...)
	}
	title, body = strings.Join(tw, " "), strings.Join(bodyWords, " ")
	var terms []string
	for _, w := range tw {
		terms = append(terms, g.wordTerms(w)...)
	}
	for _, w := range bodyWords {
		terms = append(terms, g.wordTerms(w)...)
	}
	return title, body, strings.Join(terms, " ")
}

func (g *generator) wordTerms(w string) []string {
	t, ok := g.terms[w]
	if !ok {
		t = textsearch.Terms(w)
		g.terms[w] = t
	}
	return t
}

// argument returns an argument's text: one or two varied statements.
func (g *generator) argument() string {
	s := strings.Join(g.variant(), " ")
	if g.rng.IntN(4) == 0 {
		s += " " + strings.Join(g.variant(), " ")
	}
	if utf8.RuneCountInString(s) > ouvert.MaxArgumentLen {
		s = string([]rune(s)[:ouvert.MaxArgumentLen])
	}
	return s
}
