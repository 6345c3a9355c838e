package main

import (
	"context"
	"net/http"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

// handleListImages serves GET /images and GET /projects/{project}/images.
func handleListImages(d *deps) http.Handler {
	return jsonHandler(func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		imgs, _, err := d.images(r)
		if err != nil {
			return 0, nil, err
		}
		list, err := imgs.List(r.Context())
		if err = answered(w, err); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, imagesOf(list), nil
	})
}

// handleGetImage serves GET /images/{id} (a global id, real id or name).
func handleGetImage(d *deps) http.Handler {
	return jsonHandler(func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		imgs, _, err := d.images(r)
		if err != nil {
			return 0, nil, err
		}
		img, err := imgs.Get(r.Context(), r.PathValue("id"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, imageOf(&img), nil
	})
}

// handleAddImages serves POST /images: a list of images. An item with an
// instanceId is a snapshot of that instance (what the original's client
// sends); one without is a new image with the given properties.
func handleAddImages(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := decode[imageRequest](w, r)
		if err != nil {
			writeError(w, err)
			return
		}
		_, scope, err := d.images(r)
		if err != nil {
			writeError(w, err)
			return
		}
		d.runEach(w, r, perspective.OpAddImage, keysOf(req, imageItem.name), 1,
			func(ctx context.Context, i int) perspective.Result { return d.addImage(ctx, scope, req[i]) })
	})
}

// addImage adds one image and returns its result.
func (d *deps) addImage(ctx context.Context, scope perspective.Target, it imageItem) perspective.Result {
	start := time.Now()
	item := perspective.Target{CloudID: it.CloudID}
	if len(it.ProjectID) == 1 {
		item.ProjectID = it.ProjectID[0]
	}
	target, err := mergeTarget(scope, item)
	if err == nil && it.CloudType != "" && !d.hasCloudType(target, it.CloudType) {
		err = invalidf("image %s: cloudType: no %s cloud matches %s", shortQuote(it.Name), it.CloudType, target)
	}
	if err != nil {
		return perspective.Result{ID: it.Name, Err: err}
	}
	if it.InstanceID != "" {
		rep, err := d.set.Instances().In(target).Snapshot(ctx, it.Name, it.InstanceID)
		if rep == nil || len(rep.Results) == 0 {
			return perspective.Result{ID: it.Name, Err: err, Duration: time.Since(start)}
		}
		res := d.explain(perspective.OpSnapshot, false).result(ctx, rep.Results[0])
		if res.Image != nil {
			res.ID = res.Image.ID
		}
		return res
	}
	if err := d.createTarget("image "+shortQuote(it.Name), target); err != nil {
		return perspective.Result{ID: it.Name, Err: err}
	}
	img, err := d.set.Images().In(target).Create(ctx, perspective.ImageSpec{Name: it.Name,
		DiskFormat: it.DiskFormat, ContainerFormat: it.ContainerFormat, Visibility: it.Visibility,
		MinDisk: it.MinDisk, MinRAM: it.MinRAM, Metadata: it.Metadata.toMap()})
	res := perspective.Result{ID: it.Name, Err: err, Attempts: 1, Duration: time.Since(start)}
	if err == nil {
		res.ID, res.Image = img.ID, &img
	}
	return res
}

// handleDeleteImages serves POST /images/delete and DELETE …/images: a
// list of image ids.
func handleDeleteImages(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ids, err := decode[idList](w, r)
		if err != nil {
			writeError(w, err)
			return
		}
		imgs, _, err := d.images(r)
		if err != nil {
			writeError(w, err)
			return
		}
		x := d.explain(perspective.OpDeleteImage, true)
		d.runBulk(w, r, perspective.OpDeleteImage, ids, func(ctx context.Context, t *task) (*perspective.Report, error) {
			rep, err := imgs.With(x.option(ctx, t)).Delete(ctx, ids...)
			return x.report(ctx, rep), err
		})
	})
}

// handleModifyImages serves PUT /images: a list of changes, each naming
// its image by id.
func handleModifyImages(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		changes, err := decode[imageChanges](w, r)
		if err != nil {
			writeError(w, err)
			return
		}
		imgs, _, err := d.images(r)
		if err != nil {
			writeError(w, err)
			return
		}
		x := d.explain(perspective.OpUpdateImage, true)
		d.runEach(w, r, perspective.OpUpdateImage, keysOf(changes, imageChange.id), 1,
			func(ctx context.Context, i int) perspective.Result {
				return x.result(ctx, updateImage(ctx, imgs, changes[i]))
			})
	})
}

// updateImage changes one image and returns its result.
func updateImage(ctx context.Context, imgs *perspective.Images, c imageChange) perspective.Result {
	start := time.Now()
	img, err := imgs.Update(ctx, c.ID, c.update())
	res := perspective.Result{ID: c.ID, Err: err, Attempts: 1, Duration: time.Since(start)}
	if err == nil {
		res.Image = &img
	}
	return res
}
