package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/perspective-cloud/sdk/examples/server/internal/auth"
)

// hashPasswordCommand is the sub-command that prints a password's hash.
const hashPasswordCommand = "hash-password"

// stdin is where hash-password reads the password; tests replace it.
var stdin io.Reader = os.Stdin

// maxPasswordBytes bounds the password hash-password reads (bcrypt uses
// at most 72 bytes of it).
const maxPasswordBytes = 72

// hashPassword serves "server hash-password": it reads one password from
// the first line of in and prints its bcrypt hash, the password_hash of a
// static users file (see auth.sample.yaml):
//
//	printf '%s' 'my password' | go run ./examples/server hash-password
func hashPassword(args []string, in io.Reader, stdout io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("%s takes no arguments (the password comes on standard input, so that it stays out of the shell history)", hashPasswordCommand)
	}
	line, err := bufio.NewReader(io.LimitReader(in, maxPasswordBytes+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: reading the password: %w", hashPasswordCommand, err)
	}
	pw := strings.TrimRight(line, "\r\n")
	switch {
	case pw == "":
		return fmt.Errorf("%s: no password on standard input; try: printf '%%s' 'my password' | go run ./examples/server %s", hashPasswordCommand, hashPasswordCommand)
	case len(pw) > maxPasswordBytes:
		return fmt.Errorf("%s: the password is longer than %d bytes, which bcrypt cannot use", hashPasswordCommand, maxPasswordBytes)
	}
	h, err := auth.HashPassword(pw)
	if err != nil {
		return fmt.Errorf("%s: %w", hashPasswordCommand, err)
	}
	_, err = fmt.Fprintln(stdout, h)
	return err
}
