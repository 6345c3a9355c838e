package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"sync"
	"time"
)

// sessionRecord is one signed-in user: a browser (cookie) or an API client
// (bearer token).
type sessionRecord struct {
	Principal *Principal
	// CSRF is the token a browser session sends back in X-CSRF-Token on
	// every mutating request; bearer sessions need none.
	CSRF string
	// Bearer marks a session created for an API client.
	Bearer  bool
	Created time.Time
	// Expires is when the session ends unless used again (idle timeout),
	// never later than Created plus the maximum age.
	Expires time.Time
}

// sessionStore keeps sessions in memory by the SHA-256 of their token, so
// the tokens themselves are never stored. It is safe for concurrent use.
type sessionStore struct {
	idle, maxAge time.Duration
	limit        int
	now          func() time.Time

	mu   sync.Mutex
	byID map[[32]byte]*sessionRecord
}

// newSessionStore returns a store whose sessions end after idle without use,
// or maxAge in all; it keeps at most limit sessions (the oldest go first).
func newSessionStore(idle, maxAge time.Duration, limit int, now func() time.Time) *sessionStore {
	if now == nil {
		now = time.Now
	}
	return &sessionStore{idle: idle, maxAge: maxAge, limit: max(limit, 1), now: now, byID: map[[32]byte]*sessionRecord{}}
}

// newToken returns 32 random bytes, URL-safe base64.
func newToken() string {
	b := make([]byte, 32)
	// crypto/rand.Read never fails (Go 1.24+: it crashes the program instead).
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(tok string) [32]byte { return sha256.Sum256([]byte(tok)) }

// Create starts a session for p and returns its token.
func (s *sessionStore) Create(p *Principal, bearer bool) (string, *sessionRecord) {
	tok := newToken()
	now := s.now()
	sess := &sessionRecord{Principal: p, CSRF: newToken(), Bearer: bearer, Created: now, Expires: s.expiry(now, now)}
	s.mu.Lock()
	var gone []*sessionRecord
	for id, o := range s.byID {
		if !now.Before(o.Expires) {
			delete(s.byID, id)
			gone = append(gone, o)
		}
	}
	for len(s.byID) >= s.limit {
		gone = append(gone, s.dropOldest())
	}
	s.byID[hashToken(tok)] = sess
	s.mu.Unlock()
	for _, o := range gone {
		o.Principal.close()
	}
	return tok, sess
}

// dropOldest removes the oldest session; s.mu is held.
func (s *sessionStore) dropOldest() *sessionRecord {
	var (
		oldID [32]byte
		old   *sessionRecord
	)
	for id, o := range s.byID {
		if old == nil || o.Created.Before(old.Created) {
			oldID, old = id, o
		}
	}
	delete(s.byID, oldID)
	return old
}

func (s *sessionStore) expiry(created, now time.Time) time.Time {
	e := now.Add(s.idle)
	if limit := created.Add(s.maxAge); e.After(limit) {
		e = limit
	}
	return e
}

// Lookup returns the live session of tok and extends its idle expiry. An
// expired session is removed and its cloud sessions closed.
func (s *sessionStore) Lookup(tok string) (*sessionRecord, bool) {
	if tok == "" {
		return nil, false
	}
	id := hashToken(tok)
	now := s.now()
	s.mu.Lock()
	sess, ok := s.byID[id]
	if ok && !now.Before(sess.Expires) {
		delete(s.byID, id)
		s.mu.Unlock()
		sess.Principal.close()
		return nil, false
	}
	if ok {
		sess.Expires = s.expiry(sess.Created, now)
	}
	s.mu.Unlock()
	return sess, ok
}

// Revoke ends the session of tok; it reports whether there was one.
func (s *sessionStore) Revoke(tok string) bool {
	id := hashToken(tok)
	s.mu.Lock()
	sess, ok := s.byID[id]
	delete(s.byID, id)
	s.mu.Unlock()
	if ok {
		sess.Principal.close()
	}
	return ok
}

// Len returns how many sessions are kept (expired ones included until
// they are next noticed).
func (s *sessionStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID)
}

// Close ends every session.
func (s *sessionStore) Close() {
	s.mu.Lock()
	all := s.byID
	s.byID = map[[32]byte]*sessionRecord{}
	s.mu.Unlock()
	for _, o := range all {
		o.Principal.close()
	}
}

// sameToken compares two tokens in constant time.
func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
