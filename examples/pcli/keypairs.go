package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/perspective"
)

// keypairsCommand groups the keypair commands.
func (a *app) keypairsCommand() *cobra.Command {
	c := &cobra.Command{
		Use:     "keypairs",
		Short:   "List, add and delete SSH keypairs",
		Example: "  pcli keypairs list\n  pcli keypairs add ops --private-key ~/.ssh/ops",
		Args:    cobra.NoArgs,
	}
	c.AddCommand(a.keypairsList(), a.keypairsAdd(), a.keypairsDelete())
	return c
}

func keypairTable(ks []perspective.Keypair) table {
	t := table{header: []string{"name", "fingerprint", "type"}}
	for _, k := range ks {
		t.add(k.Name, k.Fingerprint, k.Type)
	}
	return t
}

func (a *app) keypairsList() *cobra.Command {
	return listingCommand(a, &cobra.Command{
		Use:     "list",
		Short:   "List keypairs (public parts)",
		Example: "  pcli keypairs list -o json",
	}, func(ctx context.Context, set *perspective.Set) ([]perspective.Keypair, error) {
		return set.Keypairs().List(ctx)
	}, keypairTable)
}

func (a *app) keypairsAdd() *cobra.Command {
	var pubFile, privFile string
	c := &cobra.Command{
		Use:   "add NAME [--public-key FILE | --private-key FILE]",
		Short: "Import a public key, or have the cloud generate a keypair",
		Long: `Import a public key (--public-key FILE), or have the cloud generate a
keypair. A generated private key exists only in this reply: it is written
once, to --private-key FILE (created with mode 0600, never overwritten), or
else to stdout.`,
		Example: `  pcli keypairs add laptop --public-key ~/.ssh/id_ed25519.pub
  pcli keypairs add ops --private-key ./ops.pem
  pcli keypairs add ci > ci.pem`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec := perspective.KeypairSpec{Name: args[0]}
			if pubFile != "" && privFile != "" {
				return usagef("--public-key and --private-key exclude each other: an imported key has no private part here")
			}
			if pubFile != "" {
				b, err := os.ReadFile(pubFile)
				if err != nil {
					return usagef("--public-key: %v", err)
				}
				spec.PublicKey = strings.TrimSpace(string(b))
			}
			var out *os.File
			if privFile != "" {
				// Create the file before the key exists, so that a key is
				// never generated with nowhere to go.
				f, err := os.OpenFile(privFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
				if errors.Is(err, fs.ErrExist) {
					return usagef("--private-key %s: the file exists; pcli never overwrites a key", privFile)
				}
				if err != nil {
					return usagef("--private-key: %v", err)
				}
				out = f
			}
			set, err := a.open(cmd.Context())
			if err == nil {
				var k perspective.Keypair
				k, err = set.Keypairs().Create(cmd.Context(), spec)
				if err == nil {
					return a.keypairAdded(k, out)
				}
			}
			if out != nil {
				_ = out.Close()
				_ = os.Remove(privFile)
			}
			return err
		},
	}
	c.Flags().StringVar(&pubFile, "public-key", "", "file of the public key to import (OpenSSH format)")
	c.Flags().StringVar(&privFile, "private-key", "", "file to write a generated private key to (default: stdout)")
	return c
}

// keypairAdded writes a generated private key once (to out, or else to
// stdout) and prints the keypair.
func (a *app) keypairAdded(k perspective.Keypair, out *os.File) error {
	priv := k.PrivateKey
	k.PrivateKey = ""
	if out != nil {
		_, err := out.WriteString(priv)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing the private key to %s: %w", out.Name(), err)
		}
		if priv == "" {
			fmt.Fprintf(a.stderr, "the cloud returned no private key; %s is empty\n", out.Name())
		}
		return a.emit(k, keypairTable([]perspective.Keypair{k}))
	}
	if priv == "" {
		return a.emit(k, keypairTable([]perspective.Keypair{k}))
	}
	if a.output == "json" {
		k.PrivateKey = priv
		return a.emit(k, table{})
	}
	// The key alone on stdout, so that `> key.pem` keeps just the key.
	fmt.Fprintf(a.stderr, "keypair %s (%s): private key on stdout; the cloud keeps no copy\n", k.Name, k.Fingerprint)
	_, err := fmt.Fprint(a.stdout, priv)
	return err
}

func (a *app) keypairsDelete() *cobra.Command {
	return deleteCommand(a, &cobra.Command{
		Use:     "delete NAME...",
		Short:   "Delete keypairs",
		Example: "  pcli keypairs delete old-laptop ci",
	}, perspective.OpDeleteKeypair, func(ctx context.Context, set *perspective.Set, opts []perspective.CallOption, names ...string) (*perspective.Report, error) {
		return set.Keypairs().With(opts...).Delete(ctx, names...)
	})
}
