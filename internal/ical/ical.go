// Package ical writes events as iCalendar (RFC 5545), for "add to my calendar" files, feeds and
// the attachment of registration mails. Times are written in UTC, which every calendar converts
// to its own time zone.
package ical

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"ouvert/internal/ouvert"
)

// Calendar returns a VCALENDAR holding events; baseURL makes each event's link and UID.
func Calendar(name string, events []*ouvert.Event, baseURL string, now time.Time) []byte {
	var b bytes.Buffer
	line(&b, "BEGIN:VCALENDAR")
	line(&b, "VERSION:2.0")
	line(&b, "PRODID:-//Ouvert//Ouvert//FR")
	line(&b, "CALSCALE:GREGORIAN")
	line(&b, "METHOD:PUBLISH")
	if name != "" {
		line(&b, "X-WR-CALNAME:"+text(name))
	}
	host := strings.TrimPrefix(strings.TrimPrefix(baseURL, "https://"), "http://")
	for _, e := range events {
		link := fmt.Sprintf("%s/evenements/%d", baseURL, e.ID)
		line(&b, "BEGIN:VEVENT")
		line(&b, fmt.Sprintf("UID:event-%d@%s", e.ID, text(host)))
		line(&b, "DTSTAMP:"+stamp(now))
		line(&b, "DTSTART:"+stamp(e.StartsAt))
		line(&b, "DTEND:"+stamp(e.EndsAt))
		line(&b, "SUMMARY:"+text(e.Title))
		desc := e.Description
		if e.OnlineURL != "" {
			desc += "\n\n" + e.OnlineURL
		}
		if desc = strings.TrimSpace(desc); desc != "" {
			line(&b, "DESCRIPTION:"+text(desc))
		}
		if loc := Location(e); loc != "" {
			line(&b, "LOCATION:"+text(loc))
		}
		if e.Organiser != "" {
			line(&b, "ORGANIZER;CN="+param(e.Organiser)+":"+"mailto:no-reply@"+strings.Split(host, ":")[0])
		}
		line(&b, "URL:"+link)
		status := "CONFIRMED"
		if e.Status == ouvert.EventCancelled {
			status = "CANCELLED"
		}
		line(&b, "STATUS:"+status)
		line(&b, "END:VEVENT")
	}
	line(&b, "END:VCALENDAR")
	return b.Bytes()
}

// Location is an event's place as one line: venue, address, postcode and commune, or its link.
func Location(e *ouvert.Event) string {
	var parts []string
	for _, p := range []string{e.Venue, e.Address, strings.TrimSpace(e.Postcode + " " + e.Commune)} {
		if p != "" && !strings.Contains(strings.Join(parts, ", "), p) {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return e.OnlineURL
	}
	return strings.Join(parts, ", ")
}

func stamp(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// textEscaper escapes a TEXT value (RFC 5545, 3.3.11). A Replacer is safe for concurrent use
// and costs far more to build than to run: built once.
var textEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// text escapes a TEXT value (RFC 5545, 3.3.11).
func text(s string) string { return textEscaper.Replace(s) }

// param quotes a parameter value, which may not hold a double quote.
func param(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 {
			return -1
		}
		return r
	}, s)
	return `"` + s + `"`
}

// line writes a content line folded at 75 octets, without cutting a UTF-8 character.
func line(b *bytes.Buffer, s string) {
	first := true
	for len(s) > 0 {
		limit := 75
		if !first {
			limit = 74 // the leading space counts
			b.WriteByte(' ')
		}
		if len(s) <= limit {
			b.WriteString(s)
			break
		}
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n")
		s = s[cut:]
		first = false
	}
	b.WriteString("\r\n")
}
