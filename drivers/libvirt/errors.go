package libvirt

import (
	"context"
	"errors"
	"strings"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/perspective-cloud/sdk/driver"
)

// classify maps a libvirt error onto a driver error code; what names the
// object or the step ("domain web-1", "storage pool images").
func classify(err error, what string) error {
	if err == nil {
		return nil
	}
	var de *driver.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return driver.Wrap(driver.CodeCanceled, err, "libvirt: "+what)
	}
	var le golibvirt.Error
	if !errors.As(err, &le) {
		if errors.Is(err, golibvirt.ErrUnsupported) {
			return driver.Wrap(driver.CodeUnsupported, err, "libvirt: "+what)
		}
		// a lost connection, a closed socket: worth trying again
		return driver.Wrap(driver.CodeTransient, err, "libvirt: "+what)
	}
	return driver.Wrap(codeOf(le), err, "libvirt: "+what)
}

func codeOf(le golibvirt.Error) driver.Code {
	switch golibvirt.ErrorNumber(le.Code) {
	case golibvirt.ErrNoDomain, golibvirt.ErrNoNetwork, golibvirt.ErrNoStoragePool, golibvirt.ErrNoStorageVol,
		golibvirt.ErrNoDomainSnapshot, golibvirt.ErrNoDomainMetadata, golibvirt.ErrNoSecret:
		return driver.CodeNotFound
	case golibvirt.ErrOperationInvalid:
		return driver.CodeInvalidState
	case golibvirt.ErrInvalidArg, golibvirt.ErrXMLError:
		return driver.CodeInvalidArgument
	case golibvirt.ErrNoSupport, golibvirt.ErrOperationUnsupported, golibvirt.ErrArgumentUnsupported:
		return driver.CodeUnsupported
	case golibvirt.ErrAuthFailed:
		return driver.CodeUnauthenticated
	case golibvirt.ErrOperationDenied:
		return driver.CodeForbidden
	case golibvirt.ErrStorageVolExist:
		return driver.CodeConflict
	case golibvirt.ErrOperationTimeout, golibvirt.ErrRPC, golibvirt.ErrAgentUnresponsive:
		return driver.CodeTransient
	case golibvirt.ErrOperationFailed:
		if strings.Contains(le.Message, "already exists") {
			return driver.CodeConflict
		}
	}
	return driver.CodeUnknown
}

// notFound reports whether err is libvirt's not-found of any object.
func notFound(err error) bool { return driver.CodeOf(classify(err, "")) == driver.CodeNotFound }
