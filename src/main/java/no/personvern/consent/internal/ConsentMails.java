package no.personvern.consent.internal;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.Language;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The consent module's mails, in Norwegian and English: Thymeleaf text templates under
 * {@code templates/consent/mails/}, {@code <name>.<lang>.txt}, whose first line is the subject.
 */
@Component
class ConsentMails {

    /** A mail's subject and text. */
    record Letter(String subject, String text) {
    }

    private final SpringTemplateEngine engine = new SpringTemplateEngine();
    private final Supplier<ControllerDetails> controller;

    @Autowired
    ConsentMails(Catalog catalog) {
        this(catalog::controller);
    }

    ConsentMails(Supplier<ControllerDetails> controller) {
        this.controller = controller;
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/consent/mails/");
        resolver.setSuffix(".txt");
        resolver.setTemplateMode(TemplateMode.TEXT);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
    }

    /** Double opt-in: the link that confirms a sign-up to a list, valid for 7 days. */
    Letter signUp(Language language, String list, String link) {
        return letter("sign-up", language, Map.of("list", list, "link", link));
    }

    /** A sign-up to a list the address is already on: nothing changes, and no link is sent. */
    Letter alreadySignedUp(Language language, String list) {
        return letter("already-signed-up", language, Map.of("list", list));
    }

    /** The private link to the address's subscriptions, valid for 24 hours. */
    Letter subscriptionLink(Language language, String link) {
        return letter("subscription-link", language, Map.of("link", link));
    }

    private Letter letter(String name, Language language, Map<String, ?> variables) {
        Context context = new Context(language == Language.NB ? Locale.forLanguageTag("nb") : Locale.ENGLISH);
        context.setVariable("controller", controller.get());
        context.setVariable("signature", controller.get().signature(language));
        variables.forEach(context::setVariable);
        String text = engine.process(name + "." + language.code(), context);
        int end = text.indexOf('\n');
        return new Letter(text.substring(0, end), text.substring(end + 1));
    }
}
