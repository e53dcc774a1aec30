package no.personvern.subjects.web;

import no.personvern.subjects.internal.KeyRotation;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Master-key rotation: after starting with the new {@code PERSONVERN_MASTER_KEY} and the old one in
 * {@code PERSONVERN_MASTER_KEY_PREVIOUS}, this re-wraps every data key; the data is not touched.
 */
@RestController
class KeyController {

    record Rotation(int rewrapped) {
    }

    private final KeyRotation keyRotation;

    KeyController(KeyRotation keyRotation) {
        this.keyRotation = keyRotation;
    }

    @PostMapping("/api/v1/keys/rotation")
    @PreAuthorize("hasAuthority('admin')")
    Rotation rotate() {
        return new Rotation(keyRotation.rotateMasterKey());
    }
}
