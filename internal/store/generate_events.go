package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"ouvert/internal/geo"
	"ouvert/internal/ouvert"
)

// GenerateEvents bulk-loads n published events (relay workshops and open ministries spread over
// the départements, a third of them online, over the three months around now) and registrations
// of existing users, for the events benchmarks. Users are taken from the process' generated
// participants (ids first to last).
func (db *DB) GenerateEvents(ctx context.Context, processID int64, n, registrations int, firstUser, lastUser int64, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 4))
	deps := geo.Departements()
	now := db.Now()
	var axes []int64
	if err := db.each(ctx, func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		axes = append(axes, id)
		return err
	}, `SELECT id FROM axes WHERE process_id = ?`, processID); err != nil {
		return err
	}
	users := int(lastUser - firstUser + 1)
	if users <= 0 {
		return fmt.Errorf("store: generate events: no users")
	}
	err := db.WithTx(ctx, func(tx *Tx) error {
		first, err := tx.nextID(ctx, "events")
		if err != nil {
			return err
		}
		ev := tx.bulk(ctx, "events", `id, process_id, kind, status, title, description, starts_at, ends_at, venue, address, postcode,
			commune, departement, region, online_url, organiser, capacity, registration, registered, created_at`)
		ax := tx.bulk(ctx, "event_axes", "event_id, axis_id")
		perEvent := make([]int, n)
		for i := range registrations {
			perEvent[rng.IntN(n)]++
			_ = i
		}
		for i := range n {
			id := first + int64(i)
			dep := deps[rng.IntN(len(deps))]
			kind := ouvert.EventRelay
			if i%10 == 0 {
				kind = ouvert.EventOpenMinistry
			}
			start := now.Add(time.Duration(rng.IntN(90*24)-30*24) * time.Hour).Truncate(time.Hour)
			online, postcode, commune, depCode, region := "", "", "", dep.Code, dep.RegionCode
			if i%3 == 0 {
				online, depCode, region = "https://visio.exemple.invalid/"+fmt.Sprint(id), "", ""
			} else {
				postcode, commune = "00000", "Commune "+dep.Code
			}
			if err := ev.add(id, processID, kind, ouvert.EventPublished, fmt.Sprintf("Atelier %d : %s", id, dep.Name),
				"Un atelier généré pour les mesures.", start, start.Add(2*time.Hour), "Salle", "1 rue de l'Exemple", postcode,
				commune, depCode, region, online, "Organisateur généré", perEvent[i]+10, ouvert.RegistrationOpen, perEvent[i], now); err != nil {
				return err
			}
			if err := ax.add(id, axes[i%len(axes)]); err != nil {
				return err
			}
		}
		if err := ev.flush(); err != nil {
			return err
		}
		if err := ax.flush(); err != nil {
			return err
		}
		reg := tx.bulk(ctx, "registrations", "event_id, user_id, status, created_at, updated_at")
		for i := range n {
			// Distinct users per event: a stride through the users.
			start, stride := rng.IntN(users), coprimeStride(rng, users)
			for j := range perEvent[i] {
				u := firstUser + int64((start+j*stride)%users)
				if err := reg.add(first+int64(i), u, ouvert.RegConfirmed, now, now); err != nil {
					return err
				}
			}
		}
		if err := reg.flush(); err != nil {
			return err
		}
		if tx.db.dialect.name() == "postgres" {
			for _, t := range []string{"events", "registrations"} {
				if _, err := tx.exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT MAX(id) FROM `+t+`))`); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return db.Optimize(ctx)
}
