package openstack

import "github.com/perspective-cloud/sdk/driver"

// The capabilities of seed 003 the driver implements; which of them the
// credentials may use is Nova's policy to say (403, ErrForbidden).
var (
	_ driver.Shelver              = (*Driver)(nil)
	_ driver.Migrator             = (*Driver)(nil)
	_ driver.LiveMigrator         = (*Driver)(nil)
	_ driver.BackupMaker          = (*Driver)(nil)
	_ driver.PasswordSetter       = (*Driver)(nil)
	_ driver.SecurityGroupManager = (*Driver)(nil)
	_ driver.Diagnoser            = (*Driver)(nil)
	_ driver.Restorer             = (*Driver)(nil)
	_ driver.ForceDeleter         = (*Driver)(nil)
	_ driver.HypervisorLister     = (*Driver)(nil)
	_ driver.ServiceManager       = (*Driver)(nil)
	_ driver.HostLister           = (*Driver)(nil)
	_ driver.AggregateManager     = (*Driver)(nil)
	_ driver.Evacuator            = (*Driver)(nil)
	_ driver.StateResetter        = (*Driver)(nil)
	_ driver.FlavorManager        = (*Driver)(nil)
	_ driver.FlavorAccessManager  = (*Driver)(nil)
	_ driver.ExtraSpecManager     = (*Driver)(nil)
)
