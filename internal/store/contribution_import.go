package store

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/textsearch"
)

// ImportEmailDomain is the domain of the addresses of imported participants: under .invalid, it
// can receive no mail.
const ImportEmailDomain = "import.invalid"

// NoRow is the index of a reference to nothing in a ContributionImport: no author (a deleted
// account), no contribution merged into, no parent argument.
const NoRow = -1

// ContributionImport is what ImportContributions writes into a process: contributions read from
// another instance's open data (or another platform's, converted to its layout), with their
// arguments and votes. Rows refer to each other by their index in these slices, never by id: the
// ids are the target's, given on writing.
type ContributionImport struct {
	ProcessID     int64
	Participants  []ImportedParticipant
	Contributions []ImportedContribution
	Arguments     []ImportedArgument // a reply may come before the argument it replies to
	Votes         []ImportedVote     // one per participant and contribution
}

// ImportedParticipant is a pseudonymous author or voter: an account with the address
// KEY@import.invalid, which nobody can log in to.
type ImportedParticipant struct {
	Key  string // the source's pseudonymous identifier, lowercase
	Name string // the name shown
}

// Email returns the participant's address.
func (p ImportedParticipant) Email() string { return p.Key + "@" + ImportEmailDomain }

// ImportedContribution is a contribution to import. Its counters come from the imported votes
// and arguments.
type ImportedContribution struct {
	AxisID         int64
	Author         int // index in Participants, or NoRow
	OrganisationID int64
	Title, Body    string
	Origin         ouvert.Origin
	OnBehalfOf     string
	Status         string
	HiddenReason   string
	Example        bool
	CreatedAt      time.Time
	Response       ouvert.Response
	ResponseReason string
	MergedInto     int // index in Contributions, or NoRow
	RespondedAt    time.Time
}

// ImportedArgument is an argument, or a reply when Parent is set.
type ImportedArgument struct {
	Contribution int // index in Contributions
	Parent       int // index in Arguments of a top-level argument, or NoRow
	Author       int // index in Participants, or NoRow
	Stance, Body string
	Status       string
	HiddenReason string
	CreatedAt    time.Time
}

// ImportedVote is a participant's vote on a contribution.
type ImportedVote struct {
	Contribution, Voter int // indexes in Contributions and Participants
	Value               int
	At                  time.Time
}

// ImportResult tells what ImportContributions wrote.
type ImportResult struct {
	// NewParticipants counts the accounts created; the others were there from an earlier import.
	NewParticipants int
	// ContributionIDs are the new contributions' ids, in the order of the import's rows.
	ContributionIDs []int64
}

// ImportContributions writes an import in one transaction: all of it or, on any error, nothing.
// Participants become accounts without password (reused when an earlier import made them), who
// follow nothing and get no digest; rows are written with multi-row INSERTs and ids reserved
// beforehand, so that a million votes take a few thousand statements. The counters (votes,
// arguments and replies of each row; published contributions of the process, its axes and their
// responses) are set from the imported rows, not from the source's. Hidden rows are logged in the
// moderation log as "import_hidden".
func (db *DB) ImportContributions(ctx context.Context, imp *ContributionImport) (ImportResult, error) {
	var res ImportResult
	if err := imp.check(); err != nil {
		return res, fmt.Errorf("store: import contributions: %w", err)
	}
	err := db.WithTx(ctx, func(tx *Tx) error {
		axes := map[int64]bool{}
		err := tx.eachRow(ctx, func(s scanner) error {
			var id int64
			err := s.Scan(&id)
			axes[id] = true
			return err
		}, `SELECT id FROM axes WHERE process_id = ?`, imp.ProcessID)
		if err != nil {
			return err
		}
		for i, c := range imp.Contributions {
			if !axes[c.AxisID] {
				return fmt.Errorf("contribution %d: axis %d is not one of process %d", i, c.AxisID, imp.ProcessID)
			}
		}
		users, created, err := tx.importParticipants(ctx, imp.Participants)
		if err != nil {
			return err
		}
		res.NewParticipants = created
		if res.ContributionIDs, err = tx.importContributionRows(ctx, imp, users); err != nil {
			return err
		}
		args, err := tx.importArgumentRows(ctx, imp, users, res.ContributionIDs)
		if err != nil {
			return err
		}
		b := tx.bulk(ctx, "votes", "contribution_id, user_id, value, created_at, updated_at")
		for _, v := range imp.Votes {
			at := v.At.UTC()
			if err := b.add(res.ContributionIDs[v.Contribution], users[v.Voter], v.Value, at, at); err != nil {
				return fmt.Errorf("votes: %w", err)
			}
		}
		if err := b.flush(); err != nil {
			return fmt.Errorf("votes: %w", err)
		}
		if err := tx.countImport(ctx, imp); err != nil {
			return err
		}
		return tx.logImportHidden(ctx, imp, res.ContributionIDs, args)
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("store: import contributions: %w", err)
	}
	return res, nil
}

// check refuses references out of range and values the schema does not hold: the reader of the
// files checks them first, with lines and columns; this is the store's own guard.
func (imp *ContributionImport) check() error {
	ref := func(i, n int, none bool) bool { return (none && i == NoRow) || (i >= 0 && i < n) }
	np, nc, na := len(imp.Participants), len(imp.Contributions), len(imp.Arguments)
	for i, c := range imp.Contributions {
		switch {
		case !ref(c.Author, np, true), !ref(c.MergedInto, nc, true), c.MergedInto == i:
			return fmt.Errorf("contribution %d: bad reference", i)
		case c.Status != ouvert.StatusPublished && c.Status != ouvert.StatusHidden && c.Status != ouvert.StatusWithdrawn:
			return fmt.Errorf("contribution %d: bad status %q", i, c.Status)
		}
		if _, ok := ouvert.ParseResponse(string(c.Response)); !ok {
			return fmt.Errorf("contribution %d: bad response %q", i, c.Response)
		}
	}
	for i, a := range imp.Arguments {
		switch {
		case !ref(a.Contribution, nc, false), !ref(a.Author, np, true), !ref(a.Parent, na, true):
			return fmt.Errorf("argument %d: bad reference", i)
		case a.Parent != NoRow && (imp.Arguments[a.Parent].Parent != NoRow || imp.Arguments[a.Parent].Contribution != a.Contribution):
			return fmt.Errorf("argument %d: replies to a reply or to another contribution's argument", i)
		case a.Status != ouvert.StatusPublished && a.Status != ouvert.StatusHidden:
			return fmt.Errorf("argument %d: bad status %q", i, a.Status)
		}
	}
	for i, v := range imp.Votes {
		if !ref(v.Contribution, nc, false) || !ref(v.Voter, np, false) || v.Value < -1 || v.Value > 1 {
			return fmt.Errorf("vote %d: bad reference or value", i)
		}
	}
	return nil
}

// importParticipants returns the account of each participant, creating those that an earlier
// import did not, and how many it created.
func (tx *Tx) importParticipants(ctx context.Context, ps []ImportedParticipant) ([]int64, int, error) {
	ids := make([]int64, len(ps))
	index := make(map[string]int, len(ps))
	for i, p := range ps {
		index[p.Email()] = i
	}
	for start := 0; start < len(ps); start += bulkRows {
		batch := ps[start:min(start+bulkRows, len(ps))]
		args := make([]any, len(batch))
		for i, p := range batch {
			args[i] = p.Email()
		}
		err := tx.eachRow(ctx, func(s scanner) error {
			var id int64
			var email string
			if err := s.Scan(&id, &email); err != nil {
				return err
			}
			ids[index[email]] = id
			return nil
		}, `SELECT id, email FROM users WHERE email IN (`+placeholders(len(batch))+`)`, args...)
		if err != nil {
			return nil, 0, fmt.Errorf("participants: %w", err)
		}
	}
	var missing []int
	for i, id := range ids {
		if id == 0 {
			missing = append(missing, i)
		}
	}
	fresh, err := tx.reserveIDs(ctx, "users", len(missing))
	if err != nil {
		return nil, 0, err
	}
	now := tx.db.Now()
	b := tx.bulk(ctx, "users", "id, email, password_hash, display_name, category, role, lang, created_at, digest")
	for k, i := range missing {
		ids[i] = fresh[k]
		// No password ("!" matches no hash): nobody logs in as an imported participant.
		if err := b.add(ids[i], ps[i].Email(), "!", ps[i].Name, ouvert.CategoryCitizen, ouvert.RoleParticipant, "fr", now, false); err != nil {
			return nil, 0, fmt.Errorf("participants: %w", err)
		}
	}
	if err := b.flush(); err != nil {
		return nil, 0, fmt.Errorf("participants: %w", err)
	}
	return ids, len(missing), nil
}

// importContributionRows writes the contributions with their counters, computed from the
// imported votes and arguments, and returns their ids.
func (tx *Tx) importContributionRows(ctx context.Context, imp *ContributionImport, users []int64) ([]int64, error) {
	ids, err := tx.reserveIDs(ctx, "contributions", len(imp.Contributions))
	if err != nil {
		return nil, err
	}
	type counts struct{ agree, mixed, disagree, arguments int }
	n := make([]counts, len(imp.Contributions))
	for _, v := range imp.Votes {
		switch v.Value {
		case ouvert.VoteAgree:
			n[v.Contribution].agree++
		case ouvert.VoteDisagree:
			n[v.Contribution].disagree++
		default:
			n[v.Contribution].mixed++
		}
	}
	for _, a := range imp.Arguments {
		if a.Parent == NoRow {
			n[a.Contribution].arguments++
		}
	}
	b := tx.bulk(ctx, "contributions", "id, process_id, axis_id, author_id, organisation_id, title, body, origin, on_behalf_of, "+
		"status, hidden_reason, example, agree, mixed, disagree, arguments, shuffle, search, created_at, updated_at, "+
		"response, response_reason, response_target, responded_at")
	for i, c := range imp.Contributions {
		var author, merged, responded any
		if c.Author != NoRow {
			author = users[c.Author]
		}
		if c.MergedInto != NoRow {
			merged = ids[c.MergedInto]
		}
		if !c.RespondedAt.IsZero() {
			responded = c.RespondedAt.UTC()
		}
		origin := c.Origin
		if origin == "" {
			origin = ouvert.OriginOnline
		}
		search := ""
		if c.Status == ouvert.StatusPublished {
			search = textsearch.Document(c.Title, c.Body)
		}
		at := c.CreatedAt.UTC()
		if err := b.add(ids[i], imp.ProcessID, c.AxisID, author, nullID(c.OrganisationID), c.Title, c.Body, origin, c.OnBehalfOf,
			c.Status, c.HiddenReason, c.Example, n[i].agree, n[i].mixed, n[i].disagree, n[i].arguments, rand.Int32(), search, at, at,
			c.Response, c.ResponseReason, merged, responded); err != nil {
			return nil, fmt.Errorf("contributions: %w", err)
		}
	}
	if err := b.flush(); err != nil {
		return nil, fmt.Errorf("contributions: %w", err)
	}
	return ids, nil
}

// importArgumentRows writes the arguments, then the replies (whose parents must exist first),
// with the replies' counters, and returns their ids.
func (tx *Tx) importArgumentRows(ctx context.Context, imp *ContributionImport, users, contributions []int64) ([]int64, error) {
	ids, err := tx.reserveIDs(ctx, "arguments", len(imp.Arguments))
	if err != nil {
		return nil, err
	}
	replies := make([]int, len(imp.Arguments))
	for _, a := range imp.Arguments {
		if a.Parent != NoRow {
			replies[a.Parent]++
		}
	}
	b := tx.bulk(ctx, "arguments", "id, contribution_id, parent_id, author_id, stance, body, status, hidden_reason, replies, created_at")
	for _, topLevel := range []bool{true, false} {
		for i, a := range imp.Arguments {
			if (a.Parent == NoRow) != topLevel {
				continue
			}
			var author, parent any
			if a.Author != NoRow {
				author = users[a.Author]
			}
			if a.Parent != NoRow {
				parent = ids[a.Parent]
			}
			if err := b.add(ids[i], contributions[a.Contribution], parent, author, a.Stance, a.Body, a.Status, a.HiddenReason,
				replies[i], a.CreatedAt.UTC()); err != nil {
				return nil, fmt.Errorf("arguments: %w", err)
			}
		}
		if err := b.flush(); err != nil {
			return nil, fmt.Errorf("arguments: %w", err)
		}
	}
	return ids, nil
}

// countImport adds the imported published contributions to the counters of the process, its
// axes and their responses.
func (tx *Tx) countImport(ctx context.Context, imp *ContributionImport) error {
	type key struct {
		axis     int64
		response ouvert.Response
	}
	byAxis := map[int64]int{}
	byResponse := map[key]int{}
	total := 0
	for _, c := range imp.Contributions {
		if c.Status != ouvert.StatusPublished {
			continue
		}
		total++
		byAxis[c.AxisID]++
		byResponse[key{c.AxisID, c.Response}]++
	}
	if total == 0 {
		return nil
	}
	if _, err := tx.exec(ctx, `UPDATE processes SET contributions = contributions + ? WHERE id = ?`, total, imp.ProcessID); err != nil {
		return err
	}
	for _, axis := range slices.Sorted(maps.Keys(byAxis)) {
		if _, err := tx.exec(ctx, `UPDATE axes SET contributions = contributions + ? WHERE id = ?`, byAxis[axis], axis); err != nil {
			return err
		}
	}
	for k, n := range byResponse {
		if err := tx.countResponse(ctx, imp.ProcessID, k.axis, string(k.response), n); err != nil {
			return err
		}
	}
	return tx.recountFilters(ctx, imp.ProcessID)
}

// logImportHidden records the hidden rows in the moderation log, as HideAtSource does.
func (tx *Tx) logImportHidden(ctx context.Context, imp *ContributionImport, contributions, arguments []int64) error {
	now := tx.db.Now()
	b := tx.bulk(ctx, "moderation_log", "moderator_id, action, target_type, target_id, reason, created_at")
	for i, c := range imp.Contributions {
		if c.Status == ouvert.StatusHidden {
			if err := b.add(nil, "import_hidden", TargetContribution, contributions[i], c.HiddenReason, now); err != nil {
				return err
			}
		}
	}
	for i, a := range imp.Arguments {
		if a.Status == ouvert.StatusHidden {
			if err := b.add(nil, "import_hidden", TargetArgument, arguments[i], a.HiddenReason, now); err != nil {
				return err
			}
		}
	}
	return b.flush()
}

// reserveIDs returns n new ids of a table, in increasing order: on PostgreSQL drawn from its
// identity sequence, so that the site may keep writing meanwhile; on SQLite those after the
// highest, which is safe since the transaction holds the only writer.
func (tx *Tx) reserveIDs(ctx context.Context, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	if tx.db.dialect.name() != "postgres" {
		first, err := tx.nextID(ctx, table)
		if err != nil {
			return nil, fmt.Errorf("reserve ids of %s: %w", table, err)
		}
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = first + int64(i)
		}
		return ids, nil
	}
	ids, err := tx.int64s(ctx, `SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)`, table, n)
	if err != nil {
		return nil, fmt.Errorf("reserve ids of %s: %w", table, err)
	}
	slices.Sort(ids)
	return ids, nil
}

// OrganisationsByName returns the organisations' ids by name, for imports that name them; of two
// organisations of the same name, the older.
func (db *DB) OrganisationsByName(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	err := db.each(ctx, func(s scanner) error {
		var id int64
		var name string
		if err := s.Scan(&id, &name); err != nil {
			return err
		}
		name = strings.TrimSpace(name)
		if _, seen := out[name]; !seen {
			out[name] = id
		}
		return nil
	}, `SELECT id, name FROM organisations ORDER BY id`)
	return out, err
}
