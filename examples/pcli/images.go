package main

import (
	"context"
	"os"
	"slices"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/perspective"
)

// imagesCommand groups the image commands.
func (a *app) imagesCommand() *cobra.Command {
	c := &cobra.Command{
		Use:     "images",
		Short:   "List, show, add, update and delete images",
		Example: "  pcli images list\n  pcli images show ubuntu-24.04 -o json",
		Args:    cobra.NoArgs,
	}
	c.AddCommand(a.imagesList(), a.imagesShow(), a.imagesAdd(), a.imagesUpdate(), a.imagesDelete())
	return c
}

func imageTable(imgs []perspective.Image) table {
	t := table{header: []string{"id", "name", "state", "visibility", "size", "min disk", "min ram"}}
	for _, im := range imgs {
		t.add(im.ID, im.Name, string(im.State), im.Visibility, strconv.FormatInt(im.Size, 10),
			strconv.Itoa(im.MinDisk), strconv.Itoa(im.MinRAM))
	}
	return t
}

func (a *app) imagesList() *cobra.Command {
	return listingCommand(a, &cobra.Command{
		Use:     "list",
		Short:   "List images",
		Example: "  pcli images list -o csv",
	}, func(ctx context.Context, set *perspective.Set) ([]perspective.Image, error) {
		return set.Images().List(ctx)
	}, imageTable)
}

func (a *app) imagesShow() *cobra.Command {
	return &cobra.Command{
		Use:     "show ID|NAME",
		Short:   "Show one image with its metadata",
		Example: "  pcli images show debian-12",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return fetchAndEmit(a, cmd.Context(), func(ctx context.Context, set *perspective.Set) (perspective.Image, error) {
				return set.Images().Get(ctx, args[0])
			}, imageDetail)
		},
	}
}

// imageDetail is one image as field/value rows.
func imageDetail(im perspective.Image) table {
	t := table{header: []string{"field", "value"}}
	t.add("id", im.ID)
	t.add("real id", im.RealID)
	t.add("cloud", im.CloudID)
	t.add("name", im.Name)
	t.add("state", string(im.State))
	t.add("visibility", im.Visibility)
	t.add("size", strconv.FormatInt(im.Size, 10))
	t.add("min disk", strconv.Itoa(im.MinDisk))
	t.add("min ram", strconv.Itoa(im.MinRAM))
	t.add("checksum", im.Checksum)
	keys := make([]string, 0, len(im.Metadata))
	for k := range im.Metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.add("property "+k, im.Metadata[k])
	}
	return t
}

func (a *app) imagesAdd() *cobra.Command {
	var (
		spec perspective.ImageSpec
		file string
	)
	c := &cobra.Command{
		Use:     "add --name NAME [--file DISK]",
		Short:   "Add an image, uploading its data from a file",
		Example: "  pcli images add --name alpine-3.20 --file alpine.qcow2 --disk-format qcow2 --visibility private",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := required("name", spec.Name); err != nil {
				return err
			}
			if file != "" {
				f, err := os.Open(file)
				if err != nil {
					return usagef("--file: %v", err)
				}
				defer f.Close()
				spec.Data = f
			}
			return fetchAndEmit(a, cmd.Context(), func(ctx context.Context, set *perspective.Set) (perspective.Image, error) {
				return set.Images().Create(ctx, spec)
			}, imageDetail)
		},
	}
	f := c.Flags()
	f.StringVar(&spec.Name, "name", "", "image name (required)")
	f.StringVar(&file, "file", "", "file of image data to upload")
	f.StringVar(&spec.DiskFormat, "disk-format", "", "disk format, e.g. qcow2, raw")
	f.StringVar(&spec.ContainerFormat, "container-format", "", "container format, e.g. bare")
	f.StringVar(&spec.Visibility, "visibility", "", "public, private, shared or community")
	f.IntVar(&spec.MinDisk, "min-disk", 0, "minimum disk (GiB)")
	f.IntVar(&spec.MinRAM, "min-ram", 0, "minimum RAM (MiB)")
	f.StringToStringVar(&spec.Metadata, "property", nil, "metadata KEY=VALUE (repeatable)")
	return c
}

func (a *app) imagesUpdate() *cobra.Command {
	var (
		u                perspective.ImageUpdate
		name, visibility string
		minDisk, minRAM  int
		setProps         map[string]string
		removeProps      []string
	)
	c := &cobra.Command{
		Use:     "update ID|NAME",
		Short:   "Change an image's name, visibility, minimum sizes or metadata",
		Example: "  pcli images update debian-12 --name debian-12-old --property os_version=12 --remove-property legacy",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fl := cmd.Flags()
			if fl.Changed("name") {
				u.Name = &name
			}
			if fl.Changed("visibility") {
				u.Visibility = &visibility
			}
			if fl.Changed("min-disk") {
				u.MinDisk = &minDisk
			}
			if fl.Changed("min-ram") {
				u.MinRAM = &minRAM
			}
			u.Metadata, u.RemoveMetadata = setProps, removeProps
			if u.Name == nil && u.Visibility == nil && u.MinDisk == nil && u.MinRAM == nil &&
				len(u.Metadata) == 0 && len(u.RemoveMetadata) == 0 {
				return usagef("nothing to change: give --name, --visibility, --min-disk, --min-ram, --property or --remove-property")
			}
			return fetchAndEmit(a, cmd.Context(), func(ctx context.Context, set *perspective.Set) (perspective.Image, error) {
				return set.Images().Update(ctx, args[0], u)
			}, imageDetail)
		},
	}
	f := c.Flags()
	f.StringVar(&name, "name", "", "new name")
	f.StringVar(&visibility, "visibility", "", "public, private, shared or community")
	f.IntVar(&minDisk, "min-disk", 0, "minimum disk (GiB)")
	f.IntVar(&minRAM, "min-ram", 0, "minimum RAM (MiB)")
	f.StringToStringVar(&setProps, "property", nil, "metadata KEY=VALUE to set (repeatable)")
	f.StringArrayVar(&removeProps, "remove-property", nil, "metadata key to remove (repeatable)")
	return c
}

func (a *app) imagesDelete() *cobra.Command {
	return deleteCommand(a, &cobra.Command{
		Use:     "delete ID|NAME...",
		Short:   "Delete images",
		Example: "  pcli images delete old-snapshot-1 old-snapshot-2",
	}, perspective.OpDeleteImage, func(ctx context.Context, set *perspective.Set, opts []perspective.CallOption, names ...string) (*perspective.Report, error) {
		return set.Images().With(opts...).Delete(ctx, names...)
	})
}
