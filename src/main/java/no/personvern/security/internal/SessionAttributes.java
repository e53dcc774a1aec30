package no.personvern.security.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ConfigurableObjectInputStream;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.SerializingConverter;

/**
 * How a staff session's attributes are written to and read from the session table: Java
 * serialisation, read back through a filter that admits only the classes a staff session holds.
 */
final class SessionAttributes {

    private static final Logger log = LoggerFactory.getLogger(SessionAttributes.class);

    /** The security context with the member, the form token, the language: nothing else is let in. */
    static final ObjectInputFilter PATTERN = ObjectInputFilter.Config.createFilter(String.join(";",
            "maxdepth=12", "maxrefs=500", "maxbytes=32768", "maxarray=256",
            "java.lang.Object", "java.lang.String", "java.lang.Enum", "java.lang.Number", "java.lang.Integer", "java.lang.Long",
            "java.lang.Boolean", "java.util.UUID", "java.util.ArrayList", "java.util.Collections$*",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.HashMap", "java.util.LinkedHashMap",
            "java.util.TreeSet", "java.time.*", "java.time.Ser",
            "org.springframework.security.core.context.SecurityContextImpl",
            "org.springframework.security.authentication.AbstractAuthenticationToken",
            "org.springframework.security.core.authority.*",
            "org.springframework.security.web.csrf.DefaultCsrfToken",
            "no.personvern.security.StaffPrincipal", "no.personvern.security.StaffRole",
            "no.personvern.security.internal.ConsoleSecurity$StaffAuthentication",
            "no.personvern.security.internal.ConsoleSecurity$SignInDetails",
            "!*"));

    /** The last class the filter refused on this thread, for the log line (a class name, never data). */
    private static final ThreadLocal<String> REFUSED = new ThreadLocal<>();

    static final ObjectInputFilter ALLOWED = info -> {
        ObjectInputFilter.Status status = PATTERN.checkInput(info);
        if (status == ObjectInputFilter.Status.REJECTED) {
            REFUSED.set(info.serialClass() == null ? "limits" : info.serialClass().getName());
        }
        return status;
    };

    private SessionAttributes() {
    }

    static GenericConversionService conversionService() {
        GenericConversionService conversions = new GenericConversionService();
        conversions.addConverter(Object.class, byte[].class, new SerializingConverter());
        conversions.addConverter(byte[].class, Object.class, SessionAttributes::read);
        return conversions;
    }

    /** The attribute, or null (as if absent) when its bytes hold anything the filter does not admit. */
    static Object read(byte[] bytes) {
        try (ObjectInputStream in = new ConfigurableObjectInputStream(new ByteArrayInputStream(bytes),
                SessionAttributes.class.getClassLoader())) {
            in.setObjectInputFilter(ALLOWED);
            return in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException refused) {
            log.warn("A staff session attribute was refused when read back ({}, {}); the member signs in again",
                    refused.getClass().getSimpleName(), REFUSED.get());
            REFUSED.remove();
            return null;
        }
    }
}
