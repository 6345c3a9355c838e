package main

import (
	"context"
	"net/http"

	"github.com/perspective-cloud/sdk/internal/httpjson"
	"github.com/perspective-cloud/sdk/perspective"
)

// cloudHandler is the body of an API handler: it gets the opened cloud and
// returns the status and value to answer with, or an error.
type cloudHandler func(ctx context.Context, c *perspective.Cloud, w http.ResponseWriter, r *http.Request) (int, any, error)

// withCloud makes an http.Handler of h: it opens the cloud (403 when it is
// not configured or refuses the credentials) and writes h's answer.
func withCloud(d *deps, h cloudHandler) http.Handler {
	return httpjson.Handle(func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		c, err := d.cloud.Cloud(r.Context())
		if err != nil {
			return 0, nil, err
		}
		return h(r.Context(), c, w, r)
	}, func(w http.ResponseWriter, err error) { writeError(w, d.log, err) })
}

// listOf maps list's result through conv into a JSON array (never null).
func listOf[T, J any](list func(ctx context.Context) ([]T, error), conv func(T) J) cloudHandler {
	return func(ctx context.Context, _ *perspective.Cloud, _ http.ResponseWriter, _ *http.Request) (int, any, error) {
		items, err := list(ctx)
		if err != nil {
			return 0, nil, err
		}
		out := make([]J, 0, len(items))
		for _, it := range items {
			out = append(out, conv(it))
		}
		return http.StatusOK, out, nil
	}
}

// oneOf answers the object get finds by the {name} path value.
func oneOf[T, J any](get func(ctx context.Context, ref string) (T, error), conv func(T) J) cloudHandler {
	return func(ctx context.Context, _ *perspective.Cloud, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		v, err := get(ctx, r.PathValue("name"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, conv(v), nil
	}
}

// handleImages serves GET /api/v1/image.
func handleImages(d *deps) http.Handler {
	return withCloud(d, func(ctx context.Context, c *perspective.Cloud, w http.ResponseWriter, r *http.Request) (int, any, error) {
		return listOf(c.Images().List, imageOf)(ctx, c, w, r)
	})
}

// handleImage serves GET /api/v1/image/{name}: by name, id or global id.
func handleImage(d *deps) http.Handler {
	return withCloud(d, func(ctx context.Context, c *perspective.Cloud, w http.ResponseWriter, r *http.Request) (int, any, error) {
		return oneOf(c.Images().Get, imageOf)(ctx, c, w, r)
	})
}

// handleFlavors serves GET /api/v1/flavor.
func handleFlavors(d *deps) http.Handler {
	return withCloud(d, func(ctx context.Context, c *perspective.Cloud, w http.ResponseWriter, r *http.Request) (int, any, error) {
		return listOf(c.Flavors().List, flavorOf)(ctx, c, w, r)
	})
}

// handleFlavor serves GET /api/v1/flavor/{name}: by id, or else name.
func handleFlavor(d *deps) http.Handler {
	return withCloud(d, func(ctx context.Context, c *perspective.Cloud, w http.ResponseWriter, r *http.Request) (int, any, error) {
		return oneOf(c.Flavors().Get, flavorOf)(ctx, c, w, r)
	})
}

// handleNetworks serves GET /api/v1/network.
func handleNetworks(d *deps) http.Handler {
	return withCloud(d, func(ctx context.Context, c *perspective.Cloud, w http.ResponseWriter, r *http.Request) (int, any, error) {
		return listOf(c.Networks().List, networkOf)(ctx, c, w, r)
	})
}

// handleNetwork serves GET /api/v1/network/{name}: by id, or else name.
func handleNetwork(d *deps) http.Handler {
	return withCloud(d, func(ctx context.Context, c *perspective.Cloud, w http.ResponseWriter, r *http.Request) (int, any, error) {
		return oneOf(c.Networks().Get, networkOf)(ctx, c, w, r)
	})
}

// handleServers serves GET /api/v1/server.
func handleServers(d *deps) http.Handler {
	return withCloud(d, func(ctx context.Context, c *perspective.Cloud, _ http.ResponseWriter, _ *http.Request) (int, any, error) {
		insts, err := c.Instances().List(ctx, perspective.ListOptions{})
		if err != nil {
			return 0, nil, err
		}
		out := make([]serverJSON, 0, len(insts))
		for _, in := range insts {
			out = append(out, serverOf(in))
		}
		return http.StatusOK, out, nil
	})
}

// handleServer serves GET /api/v1/server/{id}.
func handleServer(d *deps) http.Handler {
	return withCloud(d, func(ctx context.Context, c *perspective.Cloud, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		inst, err := c.Instances().Get(ctx, r.PathValue("id"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, serverOf(inst), nil
	})
}

// handleLaunch serves POST /api/v1/server: it launches one server and
// answers 201 with it. A launch over quota is 400 with the cloud's message.
func handleLaunch(d *deps) http.Handler {
	return withCloud(d, func(ctx context.Context, c *perspective.Cloud, w http.ResponseWriter, r *http.Request) (int, any, error) {
		req, err := decode[launchRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		rep, err := c.Instances().Launch(ctx, perspective.LaunchSpec{Name: req.Name, ImageID: req.ImageID,
			FlavorID: req.FlavorID, Networks: []string{req.NetworkID}})
		if err != nil {
			return 0, nil, err
		}
		if len(rep.Results) == 0 || rep.Results[0].Instance == nil {
			return 0, nil, perspective.Errorf(perspective.CodeUnknown, "launch %q: the cloud answered without a server", req.Name)
		}
		inst := rep.Results[0].Instance
		w.Header().Set("Location", "/api/v1/server/"+inst.RealID)
		return http.StatusCreated, serverOf(*inst), nil
	})
}

// handleDelete serves DELETE /api/v1/server/{id}: it starts the deletion
// and answers 204.
func handleDelete(d *deps) http.Handler {
	return withCloud(d, func(ctx context.Context, c *perspective.Cloud, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		if _, err := c.Instances().Delete(ctx, r.PathValue("id")); err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, nil
	})
}
