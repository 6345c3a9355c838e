package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/perspective"
)

// addWhereFlag adds --where to a command.
func (a *app) addWhereFlag(*cobra.Command, *string) {}

func (a *app) whereHelp() string { return "" }

func (a *app) whereHint() string { return "" }

func (a *app) selectWhere(context.Context, *perspective.Set, string) ([]string, error) {
	return nil, usagef("--where needs the query engine")
}

func (a *app) queryCommand() *cobra.Command { return nil }

func (a *app) addFilterFlags(*cobra.Command) {}

func (a *app) listOrdered(_ *cobra.Command, o string) error {
	return usagef("-o %q: the output is table, json or csv", o)
}
