package operator

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/perspective-cloud/sdk/bulk"
	"github.com/perspective-cloud/sdk/perspective"
)

// Operation names an operator call; the values are stable (they appear in
// errors and in Operations). Evacuate and reset-state are
// perspective.OpEvacuate and perspective.OpResetState.
type Operation = perspective.Operation

// The operator's calls.
const (
	OpHypervisors          Operation = "hypervisors"
	OpServices             Operation = "services"
	OpUpdateService        Operation = "update-service"
	OpHosts                Operation = "hosts"
	OpAggregates           Operation = "aggregates"
	OpCreateAggregate      Operation = "create-aggregate"
	OpUpdateAggregate      Operation = "update-aggregate"
	OpDeleteAggregate      Operation = "delete-aggregate"
	OpAddAggregateHost     Operation = "add-aggregate-host"
	OpRemoveAggregateHost  Operation = "remove-aggregate-host"
	OpSetAggregateMetadata Operation = "set-aggregate-metadata"
	OpCreateFlavor         Operation = "create-flavor"
	OpUpdateFlavor         Operation = "update-flavor"
	OpDeleteFlavor         Operation = "delete-flavor"
	OpFlavorAccess         Operation = "flavor-access"
	OpAddFlavorAccess      Operation = "add-flavor-access"
	OpRemoveFlavorAccess   Operation = "remove-flavor-access"
	OpExtraSpecs           Operation = "extra-specs"
	OpSetExtraSpecs        Operation = "set-extra-specs"
	OpUnsetExtraSpecs      Operation = "unset-extra-specs"
	OpEvacuate                       = perspective.OpEvacuate
	OpResetState                     = perspective.OpResetState
)

// Kinds of the objects operator calls act on, as they appear in errors.
const (
	KindHypervisor perspective.Kind = "hypervisor"
	KindService    perspective.Kind = "service"
	KindHost       perspective.Kind = "host"
	KindAggregate  perspective.Kind = "aggregate"
)

// Operations lists every operator call, in a stable order.
func Operations() []Operation {
	return []Operation{OpHypervisors, OpServices, OpUpdateService, OpHosts, OpAggregates,
		OpCreateAggregate, OpUpdateAggregate, OpDeleteAggregate, OpAddAggregateHost,
		OpRemoveAggregateHost, OpSetAggregateMetadata, OpEvacuate, OpResetState,
		OpCreateFlavor, OpUpdateFlavor, OpDeleteFlavor, OpFlavorAccess, OpAddFlavorAccess,
		OpRemoveFlavorAccess, OpExtraSpecs, OpSetExtraSpecs, OpUnsetExtraSpecs}
}

// Operator is the operator surface of one opened cloud. It is safe for
// concurrent use.
type Operator struct {
	cloud *perspective.Cloud
	calls map[Operation]opFunc // the operations of the table the driver has
	exec  *bulk.Executor
}

// New returns the operator surface of c. Calls its driver lacks are
// perspective.ErrUnsupported; calls the credentials may not make are
// perspective.ErrForbidden, as the cloud answers.
func New(c *perspective.Cloud) (*Operator, error) {
	if c == nil {
		return nil, &perspective.Error{Code: perspective.CodeInvalidArgument, Op: "open", Msg: "cloud: is nil"}
	}
	return &Operator{cloud: c, calls: bindAll(c.Driver()),
		exec: bulk.New(bulk.WithRetry(perspective.DefaultRetries, perspective.DefaultRetryBackoff),
			bulk.WithRetryable(perspective.Retryable), bulk.WithRetryAfter(perspective.RetryAfter))}, nil
}

// Cloud returns the cloud the operator acts on.
func (o *Operator) Cloud() *perspective.Cloud { return o.cloud }

// Supports reports whether the cloud's driver can perform op. Whether the
// credentials may is known only when the cloud is asked.
func (o *Operator) Supports(op Operation) bool { return o.calls[op] != nil }

// Operations returns the operator calls the cloud's driver supports, in
// the order of Operations.
func (o *Operator) Operations() []Operation {
	return slices.DeleteFunc(Operations(), func(op Operation) bool { return !o.Supports(op) })
}

// call performs op through the table: a capability the driver lacks is
// ErrUnsupported, never a panic; the error is classified and names op and
// the object.
func (o *Operator) call(ctx context.Context, op Operation, kind perspective.Kind, id string, a *args) error {
	if ctx == nil {
		return invalidArg(op, "ctx", "is nil")
	}
	f := o.calls[op]
	if f == nil {
		return o.unsupported(op)
	}
	return classify(f(ctx, id, a), op, kind, id)
}

// read performs a read-only op, retrying transient faults as bulk calls do.
func (o *Operator) read(ctx context.Context, op Operation, kind perspective.Kind, id string, a *args) error {
	if ctx == nil {
		return invalidArg(op, "ctx", "is nil")
	}
	rs := o.exec.Run(ctx, []string{id}, func(ctx context.Context, _ string) error {
		return o.call(ctx, op, kind, id, a)
	})
	return rs[0].Err
}

func (o *Operator) unsupported(op Operation) error {
	info := o.cloud.Info()
	return &perspective.Error{Code: perspective.CodeUnsupported, Op: op,
		Msg: fmt.Sprintf("the %s cloud %s does not support %s", info.Type, info.CloudID, op)}
}

// classify makes sure err carries a code and names the operation and the
// object; the driver's error stays reachable.
func classify(err error, op Operation, kind perspective.Kind, id string) error {
	if err == nil {
		return nil
	}
	var pe *perspective.Error
	if errors.As(err, &pe) && pe.Op == op && pe.ID == id {
		return err
	}
	e := &perspective.Error{Code: perspective.Code(err), Op: op, Kind: kind, ID: id, Err: err}
	if d, ok := perspective.RetryAfter(err); ok {
		e.RetryAfter = d
	}
	return e
}

func invalidArg(op Operation, field, format string, args ...any) error {
	return &perspective.Error{Code: perspective.CodeInvalidArgument, Op: op, Msg: field + ": " + fmt.Sprintf(format, args...)}
}
