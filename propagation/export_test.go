package propagation

// ResetEnv makes the next ContextFromEnv read the environment again.
var ResetEnv = resetEnv
