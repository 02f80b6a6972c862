step "Stop the embedded graph server (data stays in $DHRKG_DATA_DIR)" "dhrkg db stop"
