/* plugin.c — the {{name}} Conductor plugin: its metadata and the one function that handles every action.
 * Never block, loop forever or keep pointers into the input after returning; use the conductor_* wrappers for I/O. */
#include "conductor_plugin.h"

/* What the app shows and checks: name, actions, parameters, capabilities. */
#define METADATA                                                                                      \
    "{\"name\":\"{{name}}\",\"version\":\"0.1.0\",\"description\":\"Says hello from a pad\","       \
    "\"author\":\"Your Name\",\"license\":\"MIT\",\"type\":\"action\",\"capabilities\":[],"          \
    "\"actions\":[{\"name\":\"greet\",\"description\":\"Log a greeting\",\"parameters\":["          \
    "{\"name\":\"who\",\"type\":\"string\",\"required\":false,\"description\":\"Whom to greet\"}]}]}"

static int32_t handle(const conductor_input *in) {
    if (strcmp(in->action, "greet") == 0) {
        char who[128];
        conductor_param_string(in, "who", who, sizeof who, "world");
        if (in->context.note.present)
            conductor_infof("Hello, %s! (note %d)", who, (int)in->context.note.value);
        else
            conductor_infof("Hello, %s!", who);
        return 0;
    }
    return conductor_error(1, "unknown action \"%s\"", in->action);
}

CONDUCTOR_PLUGIN(METADATA, handle);
