// Package cluster helps organisers write the synthesis of a consultation.
// It proposes two kinds of groups of contributions: near duplicates (two
// participants saying the same thing) and, within each axis, topics
// (contributions about the same subject, with the words that characterise
// it). Organisers confirm, rename, reject or ignore the proposals; their
// decisions are passed back and always respected. This comment is the
// source of the public page describing the method.
//
// # What is compared
//
// Each contribution (title and body) is reduced to its words by the same
// analysis as the search box (package textsearch): capitals and accents
// are ignored ("Sécurité" and "securite" are one word), very common words
// ("le", "de", "pour") are left out, and words are cut to their stem, so
// that "cyclable" and "cyclables" count as one. Word order is ignored.
//
// Words do not all weigh the same. A word used by few contributions says
// more about a text than a word used by most (the usual "TF-IDF"
// weighting: the weight falls with the logarithm of the share of
// contributions using the word). A word repeated in a text weighs more,
// but less than proportionally (1 + log of the count). Two contributions
// are then compared by the cosine of their weighted word lists: 1 when
// they use the same words in the same proportions, 0 when they share none.
// The weights are computed once per analysis over all the contributions
// of the consultation.
//
// # Near duplicates
//
// Two contributions are near duplicates when their similarity is at least
// 0.7 (DefaultDuplicateThreshold), whatever their axes: a participant
// posting the same proposal under two axes is a duplicate too. A
// contribution of one or two words is only a duplicate of a contribution
// with exactly the same words, since sharing one word is no evidence.
//
// Groups are built in the order contributions arrived (by id). The first
// contribution of a group represents it; a later contribution joins the
// group of the most similar representative, or else represents a group of
// its own. Comparing with representatives only, rather than with any
// member, prevents chains: A like B and B like C would otherwise put A and
// C together, however different. To avoid comparing every pair, each
// contribution is looked up through its rarest words only: enough of them
// that the words left out could not, on their own, reach the threshold.
// This finds exactly the pairs a full comparison finds.
//
// The threshold was chosen on 287 pairs of real statements from four
// public Polis conversations (testdata/pairs.csv), each read and judged
// by hand: duplicate when it says the same proposal or claim, possibly in
// other words. 76 pairs are duplicates; 32 of them share few words
// ("This will lead to robots" and "It's just going to speed up the
// adoption of robotics") and were found by reading rather than by
// similarity. Merging contributions that are not duplicates misleads the
// synthesis, while a missed duplicate only costs organisers a merge by
// hand, so the threshold favours precision (the share of proposed pairs
// that are duplicates) over recall (the share of duplicates proposed):
//
//	threshold  precision  recall
//	0.50       0.77       0.43
//	0.60       0.88       0.39
//	0.70       1.00       0.37
//	0.80       1.00       0.29
//	0.90       1.00       0.22
//
// At 0.7, 28 of the 35 duplicates among the pairs drawn by similarity are
// found, and none of the 32 found by reading: duplicates worded
// differently are beyond a comparison of words. The statements are in
// English while the analysis is built for French, which lowers the
// figures somewhat.
//
// # Topics
//
// Each axis is divided into topics by spherical k-means: every
// contribution goes to the topic whose centre (the average of its
// contributions' word weights) is most similar, centres are recomputed,
// and so on until fewer than 1 contribution in 200 moves (at most 15
// rounds). An axis of n contributions gets about the square root of n/2
// topics (7 for 100, 22 for 1,000), at most 30 (DefaultMaxTopicsPerAxis);
// no topics are proposed for fewer than 5 contributions. The first centres
// are drawn by k-means++ (each new one far from those already chosen) with
// a fixed seed, so the same contributions always give the same topics. On
// an axis of more than 10,000 contributions, topics are sought on 10,000
// of them evenly spread, then every contribution is placed. A
// contribution less similar than 0.1 (DefaultTopicThreshold) to every
// centre is left out of all topics: on the Polis statements these are
// mostly keyboard tests and one-off remarks, and about four statements in
// five are in a topic.
//
// A topic's characteristic words are those used by a much larger share of
// its contributions than of its axis's: a word scores p·ln(p/q), where p
// is the share of the topic's contributions using it and q the share of
// the axis's. A word found in a single contribution of the topic is not
// used. Each word is shown in the spelling participants used most often
// ("cyclables", not the stem "cyclabl").
//
// # Organisers' decisions
//
// Groups passed to Build as pinned are decisions. A pinned group keeps all
// its members and its label, and a pinned topic keeps the words
// organisers gave it. New contributions may join a pinned group: for
// duplicates, every member of a pinned group represents it; for topics, a
// pinned topic's centre is the average of its confirmed members and stays
// fixed. A contribution in a pinned group of a kind is never placed in
// another group of that kind. A duplicate group marked Rejected means
// "these are not duplicates": none of its members is ever proposed again
// in the same group as another.
//
// # New contributions
//
// Index.Add places a contribution arriving after Build without redoing the
// analysis: it joins the duplicate group of its most similar
// representative (forming a new group with it if that contribution was
// alone), and the topic of its axis with the most similar centre if that
// similarity reaches the topic threshold. Word weights and topic centres
// stay those of the last Build, so adding a contribution never moves
// others; the next Build reconsiders everything.
//
// # Cost
//
// On a two-core machine, Build over 100,000 contributions takes about two
// seconds and under 100 MB of memory; Add takes well under a millisecond.
package cluster
