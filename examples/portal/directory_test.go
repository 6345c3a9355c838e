package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDirectoryErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(d *directoryFile)
		want string
	}{
		{"no projects", func(d *directoryFile) { d.Projects, d.ProjectGroups = nil, nil }, "no projects"},
		{"short token", func(d *directoryFile) { d.Users[0].Token = "abc" }, "token must be at least 8 characters"},
		{"shared token", func(d *directoryFile) { d.Users[1].Token = d.Users[0].Token }, "token is another user's too"},
		{"twice", func(d *directoryFile) { d.Users[1].Username = d.Users[0].Username }, `user "staff" is listed twice`},
		{"no username", func(d *directoryFile) { d.Users[0].Username = "" }, "a user has no username"},
		{"owner", func(d *directoryFile) { d.Customers[0].Owners = []string{"zed"} }, `customer Alpha Corp owners: no user "zed"`},
		{"admin", func(d *directoryFile) { d.Projects[0].Administrators = []string{"zed"} }, `project alpha-web administrators: no user "zed"`},
		{"manager", func(d *directoryFile) { d.Projects[0].Managers = []string{"zed"} }, `project alpha-web managers: no user "zed"`},
		{"customer", func(d *directoryFile) { d.Projects[0].Customer = "nope" }, `project "alpha-web": no customer "nope"`},
		{"cloud", func(d *directoryFile) { d.Projects[0].Cloud = "nope" }, `project "alpha-web": no cloud "nope"`},
		{"group project", func(d *directoryFile) { d.ProjectGroups[0].Projects = []string{"nope"} }, `no project "nope"`},
		{"group customer", func(d *directoryFile) { d.ProjectGroups[0].Customer = d.Projects[0].UUID }, `no customer`},
		{"duplicate uuid", func(d *directoryFile) { d.Projects[1].UUID = d.Projects[0].UUID }, "is both a project and a project"},
		{"empty uuid", func(d *directoryFile) { d.Clouds[0].UUID = "" }, "a cloud has no uuid"},
		{"slash in uuid", func(d *directoryFile) { d.Customers[0].UUID = "a/b" }, "must not contain"},
		{"key without name", func(d *directoryFile) { d.Users[3].Keys[0].Name = "" }, "needs a name and a public_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sample(t, nil)
			tt.edit(d)
			err := d.check()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	_, err := readDirectory(strings.NewReader(`{"projects": [], "extra": 1}`))
	assert.ErrorContains(t, err, `unknown field "extra"`)
}

func TestOpenPortalErrors(t *testing.T) {
	d := sample(t, func(d *directoryFile) { d.Users[3].Keys[0].PublicKey = "ssh-rsa not-a-key" })
	_, err := openPortal(context.Background(), d)
	assert.ErrorContains(t, err, `user "alice": key "alice-laptop"`)

	d = sample(t, func(d *directoryFile) {
		d.Projects[1].URL = "mock://bd6d04242191466f9b846bff44e39acd?project=" + d.Projects[0].UUID
	})
	_, err = openPortal(context.Background(), d)
	assert.ErrorContains(t, err, `projects "alpha-web" and "alpha-data" map to the same cloud project`)

	d = sample(t, func(d *directoryFile) { d.Projects[0].URL = "nope://x" })
	_, err = openPortal(context.Background(), d)
	assert.ErrorContains(t, err, `project "alpha-web"`)

	d = sample(t, func(d *directoryFile) { d.Projects[0].Demo[0].Template = "windows" })
	p, err := openPortal(context.Background(), d)
	require.NoError(t, err)
	defer p.Close()
	assert.ErrorContains(t, p.launchDemo(context.Background()), `demo instance "web-1"`)
}

func TestLoadDirectory(t *testing.T) {
	d, err := loadDirectory(config{})
	require.NoError(t, err)
	assert.Len(t, d.Users, 7)
	path := filepath.Join(t.TempDir(), "portal.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"projects":[]}`), 0o600))
	_, err = loadDirectory(config{directory: path})
	assert.ErrorContains(t, err, path+": directory: no projects")
	_, err = loadDirectory(config{directory: filepath.Join(t.TempDir(), "missing.json")})
	assert.Error(t, err)
}

func TestRefID(t *testing.T) {
	for in, want := range map[string]string{
		"http://example.com/api/projects/661ee58978d9487c8ac26c56836585e0/": "661ee58978d9487c8ac26c56836585e0",
		"/api/flavors/3/": "3", "m1.small": "m1.small", " 3 ": "3", "http://x": "", "": ""} {
		assert.Equal(t, want, refID(in), in)
	}
}
