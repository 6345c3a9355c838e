package main

import (
	"context"
	"fmt"
	"strings"

	_ "github.com/perspective-cloud/sdk/drivers/mock" // the mock:// scheme
	"github.com/perspective-cloud/sdk/drivers/openstack"
	"github.com/perspective-cloud/sdk/perspective"
)

// source hands out the cloud the API serves. The OpenStack cloud is opened
// (logged in to) on the first API call rather than at start-up, so that
// the server starts, and its docs are served, whatever the credentials;
// a failed login is answered with 403 and tried again on a later call,
// except when the cloud refused the credentials: those stay refused.
type source struct {
	describe string
	open     func(ctx context.Context) (*perspective.Cloud, error)
	sem      chan struct{} // one login at a time; held while cloud or refused is written
	cloud    *perspective.Cloud
	refused  error
}

// newSource returns the source cfg asks for: the mock cloud, OpenStack, or
// a source that refuses every call because variables are missing.
func newSource(cfg config) (*source, error) {
	switch {
	case cfg.mock:
		c, err := perspective.Open(context.Background(), "mock://devstack?project=demo")
		if err != nil {
			return nil, err
		}
		return fixedSource(c, "the in-memory mock cloud (-mock)"), nil
	case len(cfg.missing) > 0:
		err := forbidden(fmt.Sprintf("the cloud is not configured: missing environment variable%s %s",
			plural(len(cfg.missing)), strings.Join(cfg.missing, ", ")))
		return &source{describe: "not configured: " + err.Error(), refused: err, sem: make(chan struct{}, 1)}, nil
	}
	osCfg := cfg.os
	return &source{
		describe: fmt.Sprintf("OpenStack at %s, project %s, user %s (domain %s), logged in on the first call",
			osCfg.AuthURL, osCfg.ProjectID, osCfg.Username, osCfg.UserDomainName),
		open: func(ctx context.Context) (*perspective.Cloud, error) {
			drv, err := openstack.New(ctx, osCfg)
			if err != nil {
				return nil, err
			}
			return perspective.NewCloud(drv)
		},
		sem: make(chan struct{}, 1),
	}, nil
}

// fixedSource serves an opened cloud.
func fixedSource(c *perspective.Cloud, describe string) *source {
	return &source{describe: describe, cloud: c, sem: make(chan struct{}, 1)}
}

// Describe says what the source serves, for the start-up message.
func (s *source) Describe() string { return s.describe }

// Cloud returns the cloud, opening it if need be. Its error is an
// *apiError: 403 when the cloud is not configured or refuses the
// credentials.
func (s *source) Cloud(ctx context.Context) (*perspective.Cloud, error) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, &apiError{Status: 503, Code: "canceled", Message: "gave up waiting for the login to OpenStack: " + ctx.Err().Error()}
	}
	defer func() { <-s.sem }()
	if s.cloud != nil {
		return s.cloud, nil
	}
	if s.refused != nil {
		return nil, s.refused
	}
	c, err := s.open(ctx)
	if err == nil {
		s.cloud = c
		return c, nil
	}
	fail := forbidden("cannot open the OpenStack cloud (check AUTH_URL, USERNAME, PASSWORD, PROJECT_ID, USER_DOMAIN_NAME): " + err.Error())
	switch perspective.Code(err) {
	case perspective.CodeUnauthenticated, perspective.CodeForbidden, perspective.CodeInvalidArgument:
		s.refused = fail // the same variables will be refused again
	}
	return nil, fail
}

// Close closes the cloud if it was opened.
func (s *source) Close() error {
	s.sem <- struct{}{}
	defer func() { <-s.sem }()
	if s.cloud == nil {
		return nil
	}
	return s.cloud.Close()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
