package openstack

import (
	"context"
	"slices"
	"strings"

	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/imagedata"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// ListImages returns every image the project can see, all pages.
func (d *Driver) ListImages(ctx context.Context) ([]driver.Image, error) {
	var out []driver.Image
	err := images.List(d.image, images.ListOpts{Limit: 200}).EachPage(ctx, func(ctx context.Context, p pagination.Page) (bool, error) {
		list, err := images.ExtractImages(p)
		if err != nil {
			return false, err
		}
		for i := range list {
			out = append(out, toImage(&list[i]))
		}
		return true, nil
	})
	if err != nil {
		return nil, classify(err, perspective.OpList, perspective.KindImage, "")
	}
	return out, nil
}

// GetImage returns one image.
func (d *Driver) GetImage(ctx context.Context, id string) (driver.Image, error) {
	img, err := images.Get(ctx, d.image, id).Extract()
	if err != nil {
		return driver.Image{}, classify(err, perspective.OpGet, perspective.KindImage, id)
	}
	return toImage(img), nil
}

// CreateImage creates the image record and, when spec.Data is set, uploads
// the data (PUT /v2/images/{id}/file). A failed upload deletes the record.
func (d *Driver) CreateImage(ctx context.Context, spec driver.ImageSpec) (driver.Image, error) {
	opts := images.CreateOpts{
		Name:            spec.Name,
		DiskFormat:      firstNonEmpty(spec.DiskFormat, "raw"),
		ContainerFormat: firstNonEmpty(spec.ContainerFormat, "bare"),
		MinDisk:         spec.MinDisk,
		MinRAM:          spec.MinRAM,
		Properties:      spec.Metadata,
	}
	if spec.Visibility != "" {
		v := images.ImageVisibility(spec.Visibility)
		opts.Visibility = &v
	}
	img, err := images.Create(ctx, d.image, opts).Extract()
	if err != nil {
		return driver.Image{}, classify(err, perspective.OpAddImage, perspective.KindImage, spec.Name)
	}
	if spec.Data != nil {
		if err := imagedata.Upload(ctx, d.image, img.ID, spec.Data).ExtractErr(); err != nil {
			_ = images.Delete(context.WithoutCancel(ctx), d.image, img.ID).ExtractErr()
			return driver.Image{}, classify(err, perspective.OpAddImage, perspective.KindImage, img.ID)
		}
		return d.GetImage(ctx, img.ID)
	}
	return toImage(img), nil
}

// UpdateImage changes name, visibility, minimums and properties with one
// JSON-patch request.
func (d *Driver) UpdateImage(ctx context.Context, id string, u driver.ImageUpdate) (driver.Image, error) {
	var patch images.UpdateOpts
	if u.Name != nil {
		patch = append(patch, images.ReplaceImageName{NewName: *u.Name})
	}
	if u.Visibility != nil {
		patch = append(patch, images.UpdateVisibility{Visibility: images.ImageVisibility(*u.Visibility)})
	}
	if u.MinDisk != nil {
		patch = append(patch, images.ReplaceImageMinDisk{NewMinDisk: *u.MinDisk})
	}
	if u.MinRAM != nil {
		patch = append(patch, images.ReplaceImageMinRam{NewMinRam: *u.MinRAM})
	}
	if len(u.Metadata) > 0 || len(u.RemoveMetadata) > 0 {
		cur, err := images.Get(ctx, d.image, id).Extract()
		if err != nil {
			return driver.Image{}, classify(err, perspective.OpUpdateImage, perspective.KindImage, id)
		}
		keys := make([]string, 0, len(u.Metadata))
		for k := range u.Metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			op := images.AddOp // "add" replaces an existing property too (RFC 6902)
			patch = append(patch, images.UpdateImageProperty{Op: op, Name: k, Value: u.Metadata[k]})
		}
		for _, k := range u.RemoveMetadata {
			if _, ok := cur.Properties[k]; ok {
				patch = append(patch, images.UpdateImageProperty{Op: images.RemoveOp, Name: k})
			}
		}
	}
	if len(patch) == 0 {
		return d.GetImage(ctx, id)
	}
	img, err := images.Update(ctx, d.image, id, patch).Extract()
	if err != nil {
		return driver.Image{}, classify(err, perspective.OpUpdateImage, perspective.KindImage, id)
	}
	return toImage(img), nil
}

// DeleteImage deletes an image.
func (d *Driver) DeleteImage(ctx context.Context, id string) error {
	return classify(images.Delete(ctx, d.image, id).ExtractErr(), perspective.OpDeleteImage, perspective.KindImage, id)
}

// imageStates maps Glance's statuses to the normalized image states.
var imageStates = map[images.ImageStatus]driver.ImageState{
	images.ImageStatusQueued:        driver.ImageQueued,
	images.ImageStatusSaving:        driver.ImageSaving,
	images.ImageStatusUploading:     driver.ImageSaving,
	images.ImageStatusImporting:     driver.ImageSaving,
	images.ImageStatusActive:        driver.ImageSaved,
	images.ImageStatusDeactivated:   driver.ImageSaved,
	images.ImageStatusKilled:        driver.ImageError,
	images.ImageStatusDeleted:       driver.ImageDeleted,
	images.ImageStatusPendingDelete: driver.ImageDeleting,
}

// glanceFields are top-level keys of a Glance image that gophercloud also
// leaves in Properties; they are not user properties.
var glanceFields = map[string]bool{"os_hash_algo": true, "os_hash_value": true, "os_hidden": true,
	"stores": true, "locations": true, "direct_url": true, "self": true, "file": true, "schema": true,
	"owner_specified.openstack.md5": true, "owner_specified.openstack.sha256": true,
	"owner_specified.openstack.object": true}

func toImage(img *images.Image) driver.Image {
	st, ok := imageStates[img.Status]
	if !ok {
		st = driver.ImageUnknown
	}
	out := driver.Image{
		ID: img.ID, ProjectID: img.Owner, Name: img.Name, State: st, Status: string(img.Status),
		Visibility: string(img.Visibility), Size: img.SizeBytes, MinDisk: img.MinDiskGigabytes,
		MinRAM: img.MinRAMMegabytes, Checksum: img.Checksum, Created: img.CreatedAt, Updated: img.UpdatedAt,
	}
	for k, v := range img.Properties {
		if glanceFields[k] || strings.HasPrefix(k, "os_glance") {
			continue
		}
		if s, ok := v.(string); ok {
			if out.Metadata == nil {
				out.Metadata = map[string]string{}
			}
			out.Metadata[k] = s
		}
	}
	return out
}
