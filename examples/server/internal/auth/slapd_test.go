//go:build ldap

package auth

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// slapdBin and slapaddBin are Debian's slapd package's programs.
const (
	slapdBin   = "/usr/sbin/slapd"
	slapaddBin = "/usr/sbin/slapadd"
	testSuffix = "dc=example,dc=org"
	testRootDN = "cn=admin,dc=example,dc=org"
	testRootPW = "admin-secret"
)

// slapdServer is a slapd this test started on 127.0.0.1.
type slapdServer struct {
	URL  string
	cmd  *exec.Cmd
	done chan struct{}
}

// startSlapd starts a slapd of its own on a free loopback port, with a
// fresh config and database in a temporary folder loaded from
// testdata/directory.ldif, and stops it when the test ends. It fails the
// test when slapd is not installed: these tests need the real server.
func startSlapd(t *testing.T) *slapdServer {
	t.Helper()
	for _, bin := range []string{slapdBin, slapaddBin} {
		if _, err := os.Stat(bin); err != nil {
			t.Fatalf("%s is missing: the LDAP tests run against a real slapd; install Debian's slapd and ldap-utils "+
				"packages (apt-get install -y slapd ldap-utils; .ci/browser-tests does this)", bin)
		}
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	require.NoError(t, os.Mkdir(data, 0o700))
	conf := filepath.Join(dir, "slapd.conf")
	require.NoError(t, os.WriteFile(conf, []byte(fmt.Sprintf(`include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile %s/slapd.pid
database mdb
maxsize 10485760
suffix "%s"
rootdn "%s"
rootpw %s
directory %s
access to attrs=userPassword by anonymous auth by * none
access to * by * read
`, dir, testSuffix, testRootDN, testRootPW, data)), 0o600))
	out, err := exec.Command(slapaddBin, "-f", conf, "-l", filepath.Join("testdata", "directory.ldif")).CombinedOutput()
	require.NoError(t, err, "slapadd: %s", out)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	var logs strings.Builder
	cmd := exec.Command(slapdBin, "-f", conf, "-h", "ldap://"+addr+"/", "-d", "0")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	require.NoError(t, cmd.Start())
	s := &slapdServer{URL: "ldap://" + addr, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	t.Cleanup(s.Stop)

	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return s
		}
		select {
		case <-s.done:
			t.Fatalf("slapd exited at start-up: %s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("slapd did not listen on %s within 10 s: %s", addr, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop stops slapd and waits for it.
func (s *slapdServer) Stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}
