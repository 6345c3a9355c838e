package openstack

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"

	"github.com/perspective-cloud/sdk/driver"
)

// Defaults of the rate-limit handling.
const (
	DefaultRateLimitFallback   = 2 * time.Second
	DefaultMaxRateLimitWait    = 60 * time.Second
	DefaultMaxRateLimitRetries = 5
)

// authenticate makes gophercloud's provider client for c and logs in. The
// client re-authenticates by itself when a reply says 401 (gophercloud's
// ReauthFunc, one re-authentication shared by all goroutines that hit the
// expiry at once) and waits out 429/413 replies (RetryBackoffFunc, RetryFunc).
func authenticate(ctx context.Context, c Config) (*gophercloud.ProviderClient, error) {
	ao := c.authOptions()
	pc, err := newProvider(c)
	if err != nil {
		return nil, err
	}
	if err := openstack.Authenticate(ctx, pc, ao); err != nil {
		return nil, scrub(classify(err, "open", "", ""), c.secrets())
	}
	if ao.AllowReauth && pc.ReauthFunc != nil {
		reauth := pc.ReauthFunc
		log := c.Logger
		pc.ReauthFunc = func(ctx context.Context) error {
			logDebug(log, "openstack: token refused (401); re-authenticating")
			err := reauth(ctx)
			if err != nil {
				logDebug(log, "openstack: re-authentication failed", "error", scrub(err, c.secrets()).Error())
			}
			return err
		}
	}
	return pc, nil
}

// newProvider makes gophercloud's provider client for c, not yet
// authenticated: the HTTP client and the rate-limit handling every client of
// this package shares.
func newProvider(c Config) (*gophercloud.ProviderClient, error) {
	pc, err := openstack.NewClient(c.AuthURL)
	if err != nil {
		return nil, driver.Wrap(driver.CodeInvalidArgument, err, "openstack: auth URL")
	}
	switch {
	case c.HTTPClient != nil:
		pc.HTTPClient = *c.HTTPClient
	default:
		pc.HTTPClient = http.Client{Timeout: 60 * time.Second}
		if c.TLS != nil {
			tr := http.DefaultTransport.(*http.Transport).Clone()
			tr.TLSClientConfig = c.TLS
			pc.HTTPClient.Transport = tr
		}
	}
	pc.UserAgent.Prepend("perspective-sdk")
	rl := rateLimiter{
		fallback: orDefault(c.RateLimitFallback, DefaultRateLimitFallback),
		maxWait:  orDefault(c.MaxRateLimitWait, DefaultMaxRateLimitWait),
		log:      c.Logger,
	}
	pc.RetryBackoffFunc = rl.backoff
	pc.MaxBackoffRetries = c.MaxRateLimitRetries
	if pc.MaxBackoffRetries == 0 {
		pc.MaxBackoffRetries = DefaultMaxRateLimitRetries
	}
	pc.RetryFunc = rl.retry413(pc.MaxBackoffRetries)
	return pc, nil
}

// rateLimiter waits out rate-limit replies as the server asks.
type rateLimiter struct {
	fallback time.Duration
	maxWait  time.Duration
	log      *slog.Logger
}

// backoff is gophercloud's RetryBackoffFunc: it sleeps for the reply's
// Retry-After (or the fallback delay) and returns nil to retry, or returns
// the classified rate-limit error when the wait asked for is too long or ctx
// ends first.
func (r rateLimiter) backoff(ctx context.Context, resp *gophercloud.ErrUnexpectedResponseCode, err error, retries uint) error {
	if resp == nil {
		return err
	}
	wait := retryAfter(resp.ResponseHeader, time.Now())
	if wait == 0 {
		wait = bodyRetryAfter(resp.Body)
	}
	if wait == 0 {
		wait = r.fallback
	}
	if wait > r.maxWait {
		return classify(*resp, "", "", "")
	}
	logDebug(r.log, "openstack: rate limited; waiting", "status", resp.Actual,
		"method", resp.Method, "url", resp.URL, "wait", wait, "retry", retries)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return classify(errors.Join(ctx.Err(), *resp), "", "", "")
	case <-t.C:
		return nil
	}
}

// retry413 is gophercloud's RetryFunc, which gophercloud calls for every
// failed request: it gives 413 Request Entity Too Large (the rate-limit
// reply of Nova's and Swift's older limiters, which gophercloud's backoff
// hook does not cover) the same treatment as 429, for requests whose body
// can be sent again, and lets every other failure through unchanged.
func (r rateLimiter) retry413(maxRetries uint) gophercloud.RetryFunc {
	return func(ctx context.Context, method, url string, opts *gophercloud.RequestOpts, err error, failCount uint) error {
		var resp gophercloud.ErrUnexpectedResponseCode
		if !errors.As(err, &resp) || resp.Actual != http.StatusRequestEntityTooLarge ||
			failCount > maxRetries || (opts != nil && opts.RawBody != nil) {
			return err
		}
		return r.backoff(ctx, &resp, err, failCount)
	}
}

// scrub replaces any secret that slipped into err's message. The code
// survives; the chain, which would print the secret, does not.
func scrub(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := msg
	for _, s := range secrets {
		clean = strings.ReplaceAll(clean, s, redacted)
	}
	if clean == msg {
		return err
	}
	// the chain would still print the secret: keep only the code and text
	return &driver.Error{Code: driver.CodeOf(err), Msg: clean}
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func logDebug(l *slog.Logger, msg string, args ...any) {
	if l != nil {
		l.Debug(msg, args...)
	}
}
