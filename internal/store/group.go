package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ouvert/internal/ouvert"
)

// EachContributionText calls fn with the id, axis, title and body of every published
// contribution of a process, in id order: the input of the grouping.
func (db *DB) EachContributionText(ctx context.Context, processID int64, fn func(id, axisID int64, title, body string) error) error {
	return db.each(ctx, func(s scanner) error {
		var id, axis int64
		var title, body string
		if err := s.Scan(&id, &axis, &title, &body); err != nil {
			return err
		}
		return fn(id, axis, title, body)
	}, `SELECT id, axis_id, title, body FROM contributions WHERE process_id = ? AND status = 'published' ORDER BY id`, processID)
}

// GroupSet is a group with the ids of its members, as the grouping reads and writes them.
type GroupSet struct {
	ouvert.Group
	MemberIDs []int64
}

// ConfirmedGroups returns the groups that organisers confirmed in a process, with their members.
func (db *DB) ConfirmedGroups(ctx context.Context, processID int64) ([]GroupSet, error) {
	var list []GroupSet
	index := map[int64]int{}
	err := db.each(ctx, func(s scanner) error {
		var g GroupSet
		var words string
		if err := s.Scan(&g.ID, &g.ProcessID, &g.AxisID, &g.Kind, &g.Label, &words, &g.Confirmed, &g.Rejected, &g.Members, &g.UpdatedAt); err != nil {
			return err
		}
		g.Words = strings.Fields(words)
		index[g.ID] = len(list)
		list = append(list, g)
		return nil
	}, `SELECT `+groupColumns+` FROM contribution_groups g WHERE g.process_id = ? AND g.confirmed ORDER BY g.id`, processID)
	if err != nil {
		return nil, err
	}
	err = db.each(ctx, func(s scanner) error {
		var g, c int64
		if err := s.Scan(&g, &c); err != nil {
			return err
		}
		list[index[g]].MemberIDs = append(list[index[g]].MemberIDs, c)
		return nil
	}, `SELECT m.group_id, m.contribution_id FROM group_members m JOIN contribution_groups g ON g.id = m.group_id
		WHERE g.process_id = ? AND g.confirmed ORDER BY m.group_id, m.contribution_id`, processID)
	return list, err
}

// ReplaceProposals writes the result of a grouping run: the groups not yet confirmed are replaced
// by the new proposals (ID 0), and confirmed groups (their ID) gain the members the run placed
// in them; their label and other members stay as organisers left them. Proposals that the run
// found again unchanged are kept as they are, so that an hourly run over stable contributions
// writes almost nothing.
func (db *DB) ReplaceProposals(ctx context.Context, processID int64, groups []GroupSet) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		now := tx.db.Now()
		// What is there: every group of the process with its members, in one read.
		type current struct {
			kind      string
			words     string
			confirmed bool
			members   []int64
		}
		have := map[int64]*current{}
		err := tx.eachRow(ctx, func(s scanner) error {
			var id int64
			var c current
			var member sql.NullInt64
			if err := s.Scan(&id, &c.kind, &c.words, &c.confirmed, &member); err != nil {
				return err
			}
			g := have[id]
			if g == nil {
				g = &c
				have[id] = g
			}
			if member.Valid {
				g.members = append(g.members, member.Int64)
			}
			return nil
		}, `SELECT g.id, g.kind, g.words, g.confirmed, m.contribution_id FROM contribution_groups g
			LEFT JOIN group_members m ON m.group_id = g.id WHERE g.process_id = ? ORDER BY g.id, m.contribution_id`, processID)
		if err != nil {
			return err
		}
		key := func(kind string, members []int64) string {
			var b strings.Builder
			b.WriteString(kind)
			for _, m := range members {
				b.WriteByte(' ')
				b.WriteString(strconv.FormatInt(m, 10))
			}
			return b.String()
		}
		proposed := map[string]int64{}
		for id, g := range have {
			if !g.confirmed {
				proposed[key(g.kind, g.members)] = id
			}
		}
		kept := map[int64]bool{}
		next, err := tx.nextID(ctx, "contribution_groups")
		if err != nil {
			return err
		}
		// New groups first, all of them, then their members: a batch of members must not name a
		// group still waiting in its own batch.
		newGroups := tx.bulk(ctx, "contribution_groups", "id, process_id, axis_id, kind, label, words, confirmed, members, created_at, updated_at")
		var pairs [][2]int64 // contribution, group
		for _, g := range groups {
			words := strings.Join(g.Words, " ")
			members := slices.Sorted(slices.Values(g.MemberIDs))
			if g.ID != 0 {
				cur := have[g.ID]
				if cur == nil {
					continue // deleted since the run read it
				}
				added := 0
				for _, c := range members {
					if _, ok := slices.BinarySearch(cur.members, c); !ok {
						pairs = append(pairs, [2]int64{c, g.ID})
						added++
					}
				}
				if added > 0 || words != cur.words {
					if _, err := tx.exec(ctx, `UPDATE contribution_groups SET words = ?, updated_at = ?, members = members + ? WHERE id = ?`,
						words, now, added, g.ID); err != nil {
						return err
					}
				}
				continue
			}
			if id, ok := proposed[key(string(g.Kind), members)]; ok && !kept[id] {
				kept[id] = true
				if have[id].words != words {
					if _, err := tx.exec(ctx, `UPDATE contribution_groups SET words = ?, updated_at = ? WHERE id = ?`, words, now, id); err != nil {
						return err
					}
				}
				continue
			}
			if err := newGroups.add(next, processID, g.AxisID, g.Kind, "", words, false, len(members), now, now); err != nil {
				return err
			}
			for _, c := range members {
				pairs = append(pairs, [2]int64{c, next})
			}
			next++
		}
		// Proposals the run did not find again go, in batches.
		var stale []any
		for id, g := range have {
			if !g.confirmed && !kept[id] {
				stale = append(stale, id)
			}
		}
		for len(stale) > 0 {
			n := min(len(stale), bulkRows)
			in := placeholders(n)
			if _, err := tx.exec(ctx, `DELETE FROM group_members WHERE group_id IN (`+in+`)`, stale[:n]...); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `DELETE FROM contribution_groups WHERE id IN (`+in+`)`, stale[:n]...); err != nil {
				return err
			}
			stale = stale[n:]
		}
		if err := newGroups.flush(); err != nil {
			return err
		}
		// In contribution order, so that checking each member's contribution reads its pages once.
		slices.SortFunc(pairs, func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) })
		members := tx.bulk(ctx, "group_members", "group_id, contribution_id")
		for _, p := range pairs {
			if err := members.add(p[1], p[0]); err != nil {
				return err
			}
		}
		if err := members.flush(); err != nil {
			return err
		}
		return tx.syncSequence(ctx, "contribution_groups")
	})
}

// syncSequence moves PostgreSQL's identity sequence of a table past rows inserted with explicit ids.
func (tx *Tx) syncSequence(ctx context.Context, table string) error {
	if tx.db.dialect.name() != "postgres" {
		return nil
	}
	_, err := tx.exec(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'), GREATEST(COALESCE((SELECT MAX(id) FROM `+table+`), 0), 1))`)
	return err
}

const groupColumns = `g.id, g.process_id, g.axis_id, g.kind, g.label, g.words, g.confirmed, g.rejected, g.members, g.updated_at`

func scanGroup(s scanner) (*ouvert.Group, error) {
	var g ouvert.Group
	var words string
	err := s.Scan(&g.ID, &g.ProcessID, &g.AxisID, &g.Kind, &g.Label, &words, &g.Confirmed, &g.Rejected, &g.Members, &g.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	}
	g.Words = strings.Fields(words)
	g.UpdatedAt = g.UpdatedAt.UTC()
	return &g, err
}

// GroupFilter selects a page of a process' groups.
type GroupFilter struct {
	ProcessID int64
	Kind      ouvert.GroupKind
	AxisID    int64 // topics only; 0: every axis
	Page      int
	PerPage   int
}

// Groups returns a page of groups of a kind, largest first, and how many there are.
func (db *DB) Groups(ctx context.Context, f GroupFilter) ([]*ouvert.Group, int, error) {
	if f.PerPage <= 0 {
		f.PerPage = 20
	}
	f.Page = max(f.Page, 1)
	where, args := `g.process_id = ? AND g.kind = ? AND NOT g.rejected`, []any{f.ProcessID, f.Kind}
	if f.AxisID != 0 {
		where += ` AND g.axis_id = ?`
		args = append(args, f.AxisID)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM contribution_groups g WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	var list []*ouvert.Group
	err := db.each(ctx, func(s scanner) error {
		g, err := scanGroup(s)
		list = append(list, g)
		return err
	}, `SELECT `+groupColumns+` FROM contribution_groups g WHERE `+where+` ORDER BY g.members DESC, g.id LIMIT ? OFFSET ?`,
		append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	return list, total, err
}

// Group returns one group of a process.
func (db *DB) Group(ctx context.Context, processID, id int64) (*ouvert.Group, error) {
	return scanGroup(db.queryRow(ctx, `SELECT `+groupColumns+` FROM contribution_groups g WHERE g.id = ? AND g.process_id = ?`, id, processID))
}

// GroupMembers returns a page of a group's contributions, most agreed first, and their number.
func (db *DB) GroupMembers(ctx context.Context, groupID int64, page, perPage int) ([]*ouvert.Contribution, int, error) {
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM group_members WHERE group_id = ?`, groupID).Scan(&total); err != nil {
		return nil, 0, err
	}
	list, err := db.contributionList(ctx, `SELECT `+contributionColumns+contributionFrom+`
		JOIN group_members m ON m.contribution_id = c.id WHERE m.group_id = ? ORDER BY c.agree DESC, c.id LIMIT ? OFFSET ?`,
		groupID, perPage, (max(page, 1)-1)*perPage)
	return list, total, err
}

// GroupMemberIDs returns the ids of every contribution of a group, to answer them all at once.
func (db *DB) GroupMemberIDs(ctx context.Context, groupID int64) ([]int64, error) {
	return db.int64s(ctx, `SELECT contribution_id FROM group_members WHERE group_id = ? ORDER BY contribution_id`, groupID)
}

// GroupsOf returns the groups each of the contributions ids belongs to, in one query.
func (db *DB) GroupsOf(ctx context.Context, ids []int64) (map[int64][]*ouvert.Group, error) {
	groups := map[int64][]*ouvert.Group{}
	if len(ids) == 0 {
		return groups, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := db.each(ctx, func(s scanner) error {
		var c int64
		var g ouvert.Group
		var words string
		if err := s.Scan(&c, &g.ID, &g.Kind, &g.Label, &words, &g.Confirmed, &g.Members); err != nil {
			return err
		}
		g.Words = strings.Fields(words)
		groups[c] = append(groups[c], &g)
		return nil
	}, `SELECT m.contribution_id, g.id, g.kind, g.label, g.words, g.confirmed, g.members FROM group_members m
		JOIN contribution_groups g ON g.id = m.group_id WHERE m.contribution_id IN (`+placeholders(len(ids))+`) AND NOT g.rejected ORDER BY g.kind, g.id`, args...)
	return groups, err
}

// ConfirmGroup keeps a group as it is, under a label if one is given: the grouping no longer
// changes it but may still add new contributions to it.
func (db *DB) ConfirmGroup(ctx context.Context, processID, id int64, label string) error {
	label = strings.TrimSpace(label)
	if len([]rune(label)) > ouvert.MaxTitleLen {
		return ouvert.FieldError("label", "contribution.title_too_long")
	}
	res, err := db.exec(ctx, `UPDATE contribution_groups SET confirmed = TRUE, label = ?, updated_at = ? WHERE id = ? AND process_id = ?`,
		label, db.Now(), id, processID)
	if err != nil {
		return err
	} else if n, _ := res.RowsAffected(); n == 0 {
		return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	}
	return nil
}

// MergeGroups moves the members of groups of the same kind into the first and deletes the others;
// the result is confirmed.
func (db *DB) MergeGroups(ctx context.Context, processID int64, ids []int64) (int64, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) < 2 {
		return 0, ouvert.FieldError("groups", "group.merge_two")
	}
	into := ids[0]
	err := db.WithTx(ctx, func(tx *Tx) error {
		args := []any{processID}
		for _, id := range ids {
			args = append(args, id)
		}
		var n, kinds int
		if err := tx.queryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT kind) FROM contribution_groups WHERE process_id = ? AND id IN (`+placeholders(len(ids))+`)`, args...).
			Scan(&n, &kinds); err != nil {
			return err
		}
		if n != len(ids) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if kinds != 1 {
			return ouvert.FieldError("groups", "group.merge_kind")
		}
		others := args[2:]
		in := placeholders(len(others))
		if _, err := tx.exec(ctx, `INSERT INTO group_members (group_id, contribution_id)
			SELECT ?, contribution_id FROM group_members WHERE group_id IN (`+in+`) ON CONFLICT DO NOTHING`, append([]any{into}, others...)...); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM contribution_groups WHERE id IN (`+in+`)`, others...); err != nil {
			return err
		}
		return tx.recountGroup(ctx, into, true)
	})
	return into, err
}

// recountGroup sets a group's member count, and confirms it when organisers changed it.
func (tx *Tx) recountGroup(ctx context.Context, id int64, confirm bool) error {
	_, err := tx.exec(ctx, `UPDATE contribution_groups SET members = (SELECT COUNT(*) FROM group_members WHERE group_id = ?),
		confirmed = confirmed OR ?, updated_at = ? WHERE id = ?`, id, confirm, tx.db.Now(), id)
	return err
}

// SplitGroup moves some members of a group into a new confirmed group of the same kind; the
// group they leave is confirmed too, so that the grouping does not put them back.
func (db *DB) SplitGroup(ctx context.Context, processID, id int64, members []int64) (int64, error) {
	if len(members) == 0 {
		return 0, ouvert.FieldError("members", "group.split_none")
	}
	var newID int64
	err := db.WithTx(ctx, func(tx *Tx) error {
		var axis int64
		var kind string
		err := tx.queryRow(ctx, `SELECT axis_id, kind FROM contribution_groups WHERE id = ? AND process_id = ?`, id, processID).Scan(&axis, &kind)
		if errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if err != nil {
			return err
		}
		now := tx.db.Now()
		newID, err = tx.insert(ctx, `INSERT INTO contribution_groups (process_id, axis_id, kind, confirmed, created_at, updated_at)
			VALUES (?, ?, ?, TRUE, ?, ?)`, processID, axis, kind, now, now)
		if err != nil {
			return err
		}
		for _, c := range members {
			res, err := tx.exec(ctx, `UPDATE group_members SET group_id = ? WHERE group_id = ? AND contribution_id = ?`, newID, id, c)
			if err != nil {
				return err
			} else if n, _ := res.RowsAffected(); n == 0 {
				return ouvert.FieldError("members", "group.not_member")
			}
		}
		if err := tx.recountGroup(ctx, id, true); err != nil {
			return err
		}
		return tx.recountGroup(ctx, newID, true)
	})
	return newID, err
}

// PlaceContribution records where the grouping placed a new contribution: in the group of kind
// that holds near. For a near duplicate of a contribution in no duplicate group, it proposes a
// new group of the two; a topic that is not (yet) in the database places nothing, and neither
// does a contribution that is already in a group of that kind.
func (db *DB) PlaceContribution(ctx context.Context, processID, contributionID int64, kind ouvert.GroupKind, near int64) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM group_members m JOIN contribution_groups g ON g.id = m.group_id
			WHERE m.contribution_id = ? AND g.kind = ? AND NOT g.rejected`, contributionID, kind).Scan(&n); err != nil || n > 0 {
			return err
		}
		var group int64
		err := tx.queryRow(ctx, `SELECT g.id FROM group_members m JOIN contribution_groups g ON g.id = m.group_id
			WHERE m.contribution_id = ? AND g.kind = ? AND g.process_id = ? AND NOT g.rejected ORDER BY g.id LIMIT 1`, near, kind, processID).Scan(&group)
		switch {
		case err == nil:
			if _, err := tx.exec(ctx, `INSERT INTO group_members (group_id, contribution_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, group, contributionID); err != nil {
				return fmt.Errorf("store: place %d in %d: %w", contributionID, group, err)
			}
			return tx.recountGroup(ctx, group, false)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		case kind != ouvert.GroupDuplicate:
			return nil
		}
		now := tx.db.Now()
		id, err := tx.insert(ctx, `INSERT INTO contribution_groups (process_id, axis_id, kind, members, created_at, updated_at)
			VALUES (?, 0, ?, 2, ?, ?)`, processID, ouvert.GroupDuplicate, now, now)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO group_members (group_id, contribution_id) VALUES (?, ?), (?, ?)`, id, near, id, contributionID)
		return err
	})
}

// RejectGroup records that a proposed duplicate group is not one: it leaves the lists, and the
// grouping never proposes its members together again.
func (db *DB) RejectGroup(ctx context.Context, processID, id int64) error {
	res, err := db.exec(ctx, `UPDATE contribution_groups SET rejected = TRUE, confirmed = TRUE, updated_at = ? WHERE id = ? AND process_id = ? AND kind = ?`,
		db.Now(), id, processID, ouvert.GroupDuplicate)
	if err != nil {
		return err
	} else if n, _ := res.RowsAffected(); n == 0 {
		return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	}
	return nil
}
