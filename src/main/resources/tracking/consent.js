/*
 * Personvern consent banner (GET /consent.js, version __PV_VERSION__).
 *
 * Asks before anything but the strictly necessary is stored or read on the visitor's device
 * (ekomloven, GDPR Art. 4(11) and 7): nothing is pre-ticked (CJEU Planet49), "reject all" sits
 * next to "accept all" with the same look (Datatilsynet), the choice can be changed at any time,
 * and Global Privacy Control always means no marketing (GDPR Art. 21(5)).
 *
 * The choice lives in the cookie pv_consent, which only the server writes (it is signed); this
 * script reads it, posts new choices, sends Google Consent Mode v2 signals to gtag() when the
 * page has it, and sends the statistics and campaign pixels only with consent. It offers only the
 * categories the catalog declares an activity for (OFFERED, written in by the server): a category
 * without one is neither shown nor ever granted.
 *
 * Its look is /consent.css, linked from Personvern's origin (no inline style, so a strict
 * Content-Security-Policy on the page needs only to allow that origin); the banner waits for it.
 * A page without a [data-pv-consent-open] element gets a small "cookie settings" button after a
 * choice, so the choice can always be withdrawn (Art. 7(3)).
 */
(function () {
  'use strict';

  if (window.Personvern && typeof window.Personvern.openConsent === 'function') {
    return;
  }

  const VERSION = '__PV_VERSION__';
  const OFFERED = __PV_OFFERED__;
  const COOKIE = 'pv_consent';
  const STORED = /^v1\.([01])\.([01])\.(\d+)\.([^.]+)\.([^.]+)$/;

  const TEXTS = {
    nb: {
      title: 'Informasjonskapsler og pikselkoder',
      intro: 'Vi bruker nødvendige informasjonskapsler for at nettstedet skal virke. Hvis du sier ja, '
        + 'bruker vi også informasjonskapsler og pikselkoder til statistikk (hvordan nettstedet brukes) '
        + 'og markedsføring (hvor godt kampanjene våre virker). Uten ditt ja bruker vi bare de nødvendige. '
        + 'Du kan endre valget ditt når som helst.',
      introStatistics: 'Vi bruker nødvendige informasjonskapsler for at nettstedet skal virke. Hvis du sier ja, '
        + 'bruker vi også informasjonskapsler til statistikk (hvordan nettstedet brukes). Uten ditt ja bruker vi '
        + 'bare de nødvendige. Du kan endre valget ditt når som helst.',
      introMarketing: 'Vi bruker nødvendige informasjonskapsler for at nettstedet skal virke. Hvis du sier ja, '
        + 'bruker vi også pikselkoder til markedsføring (hvor godt kampanjene våre virker). Uten ditt ja bruker vi '
        + 'bare de nødvendige. Du kan endre valget ditt når som helst.',
      introNecessary: 'Vi bruker bare nødvendige informasjonskapsler, som holder nettstedet i gang.',
      notice: 'Personvernerklæring',
      rejectAll: 'Avvis alle',
      acceptAll: 'Godta alle',
      choose: 'Velg selv',
      chooseTitle: 'Velg hva du sier ja til',
      necessary: 'Nødvendige',
      alwaysOn: '(alltid på)',
      necessaryHint: 'Husker valget du gjør her, og holder nettstedet i gang.',
      statistics: 'Statistikk',
      statisticsHint: 'Teller sidevisninger og besøk, slik at vi kan gjøre nettstedet bedre. '
        + 'Informasjonskapselen lagres til neste besøk og byttes da ut med en ny.',
      marketing: 'Markedsføring',
      marketingHint: 'Pikselkoder viser hvor godt annonsekampanjene våre virker, og lar oss tilpasse '
        + 'innholdet til det du er interessert i.',
      gpc: 'Nettleseren din ber om at vi ikke bruker data til markedsføring (GPC).',
      save: 'Lagre valg',
      close: 'Lukk',
      reopen: 'Innstillinger for informasjonskapsler',
      error: 'Vi fikk ikke lagret valget ditt. Prøv igjen.'
    },
    en: {
      title: 'Cookies and pixel tags',
      intro: 'We use necessary cookies to make this website work. If you say yes, we also use cookies '
        + 'and pixel tags for statistics (how the website is used) and marketing (how well our campaigns '
        + 'work). Without your yes, we use only the necessary ones. You can change your choice at any time.',
      introStatistics: 'We use necessary cookies to make this website work. If you say yes, we also use cookies '
        + 'for statistics (how the website is used). Without your yes, we use only the necessary ones. '
        + 'You can change your choice at any time.',
      introMarketing: 'We use necessary cookies to make this website work. If you say yes, we also use pixel '
        + 'tags for marketing (how well our campaigns work). Without your yes, we use only the necessary ones. '
        + 'You can change your choice at any time.',
      introNecessary: 'We use only necessary cookies, which keep the website running.',
      notice: 'Privacy notice',
      rejectAll: 'Reject all',
      acceptAll: 'Accept all',
      choose: 'Choose',
      chooseTitle: 'Choose what you allow',
      necessary: 'Necessary',
      alwaysOn: '(always on)',
      necessaryHint: 'Remember the choice you make here and keep the website running.',
      statistics: 'Statistics',
      statisticsHint: 'Counts page views and visits so that we can improve the website. '
        + 'The cookie is kept until your next visit and is then replaced with a new one.',
      marketing: 'Marketing',
      marketingHint: 'Pixel tags show how well our advertising campaigns work and let us adapt '
        + 'the content to your interests.',
      gpc: 'Your browser asks us not to use data for marketing (GPC).',
      save: 'Save choices',
      close: 'Close',
      reopen: 'Cookie settings',
      error: 'We could not save your choice. Please try again.'
    }
  };

  const STYLESHEET = 'consent.css?v=__PV_CSS_VERSION__';

  const scriptElement = document.currentScript
    || document.querySelector('script[src*="/consent.js"]');
  const base = baseOf(scriptElement);
  const gpc = navigator.globalPrivacyControl === true;

  let texts = TEXTS.en;
  let lang = 'en';
  let current = null;
  let dialog = null;
  let reopenButton = null;
  let returnFocus = null;
  let saving = false;
  let pageviewSent = false;
  let campaignSent = false;
  const pixels = [];
  const pending = [];
  let ready = false;

  function baseOf(element) {
    try {
      return new URL(element.src, location.href).origin;
    } catch (e) {
      return location.origin;
    }
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function readStoredChoice() {
    const cookies = document.cookie ? document.cookie.split(';') : [];
    for (const cookie of cookies) {
      const at = cookie.indexOf('=');
      if (at < 0 || cookie.slice(0, at).trim() !== COOKIE) {
        continue;
      }
      let value = cookie.slice(at + 1).trim();
      if (value.length > 1 && value.charAt(0) === '"' && value.charAt(value.length - 1) === '"') {
        value = value.slice(1, -1);
      }
      try {
        value = decodeURIComponent(value);
      } catch (e) {
        return null;
      }
      const match = STORED.exec(value);
      return match ? {statistics: match[1] === '1', marketing: match[2] === '1'} : null;
    }
    return null;
  }

  /**
   * GPC is an objection to marketing made by automated means; it overrides any stored yes. A
   * category the catalog does not declare is never granted.
   */
  function effective(choice) {
    return {
      statistics: choice.statistics === true && OFFERED.statistics === true,
      marketing: choice.marketing === true && OFFERED.marketing === true && !gpc
    };
  }

  function intro() {
    if (OFFERED.statistics && OFFERED.marketing) {
      return texts.intro;
    }
    return OFFERED.statistics ? texts.introStatistics : (OFFERED.marketing ? texts.introMarketing : texts.introNecessary);
  }

  function anythingOffered() {
    return OFFERED.statistics === true || OFFERED.marketing === true;
  }

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      const value = attributes[name];
      if (value === true) {
        node.setAttribute(name, '');
      } else if (value !== false && value != null) {
        node.setAttribute(name, value);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function button(id, className, text) {
    return element('button', {type: 'button', id: id, 'class': className}, [text]);
  }

  function option(id, label, hint, extra) {
    const input = element('input', {type: 'checkbox', id: id, 'aria-describedby': id + '-hint'});
    const children = [input, element('label', {'for': id}, label), element('p', {id: id + '-hint', 'class': 'pv-hint'}, [hint])];
    if (extra) {
      children.push(extra);
    }
    return {input: input, row: element('div', {'class': 'pv-option'}, children)};
  }

  /**
   * The banner's look comes from Personvern's own origin as a stylesheet, so a page with a strict
   * Content-Security-Policy needs only to allow that origin (no inline style). The banner stays
   * hidden until it has loaded, and is shown anyway if it cannot be.
   */
  function loadStylesheet(then) {
    let done = false;
    const finish = function () {
      if (!done) {
        done = true;
        then();
      }
    };
    const link = element('link', {id: 'pv-style', rel: 'stylesheet', href: base + '/' + STYLESHEET});
    link.addEventListener('load', finish);
    link.addEventListener('error', finish);
    (document.head || document.body).appendChild(link);
    setTimeout(finish, 5000);
  }

  /** A page that has its own "cookie settings" element needs no button of ours. */
  function pageHasOpener() {
    return !!document.querySelector('[data-pv-consent-open]');
  }

  /** The small "cookie settings" button, after a choice, on a page without its own way back. */
  function showReopen(show) {
    const visible = show && !pageHasOpener();
    reopenButton.hidden = !visible;
    byId('pv-reopen-space').hidden = !visible;
  }

  function build() {

    const first = element('div', {id: 'pv-first'}, [
      element('h2', {id: 'pv-title', 'class': 'pv-title'}, [texts.title]),
      element('p', {id: 'pv-description', 'class': 'pv-text'}, [intro()]),
      element('p', {'class': 'pv-text'}, [
        element('a', {'class': 'pv-link', href: base + '/privacy?lang=' + lang}, [texts.notice])
      ]),
      element('div', {'class': 'pv-actions'}, [
        button('pv-reject-all', 'pv-btn', texts.rejectAll),
        button('pv-accept-all', 'pv-btn', texts.acceptAll),
        button('pv-choose', 'pv-btn pv-secondary', texts.choose)
      ])
    ]);

    const necessary = option('pv-necessary', [texts.necessary + ' ', texts.alwaysOn], texts.necessaryHint);
    necessary.input.checked = true;
    necessary.input.disabled = true;
    const statistics = option('pv-statistics', [texts.statistics], texts.statisticsHint);
    const marketing = option('pv-marketing', [texts.marketing], texts.marketingHint,
      gpc ? element('p', {id: 'pv-gpc', 'class': 'pv-gpc'}, [texts.gpc]) : null);
    if (gpc) {
      marketing.input.disabled = true;
      marketing.input.setAttribute('aria-describedby', 'pv-marketing-hint pv-gpc');
    }

    const second = element('div', {id: 'pv-second', hidden: true}, [
      element('fieldset', {'class': 'pv-options'}, [
        element('legend', {'class': 'pv-title'}, [texts.chooseTitle]),
        necessary.row
      ].concat(OFFERED.statistics ? [statistics.row] : []).concat(OFFERED.marketing ? [marketing.row] : [])),
      element('div', {'class': 'pv-actions'}, [button('pv-save', 'pv-btn', texts.save)])
    ]);

    dialog = element('div', {
      id: 'pv-consent', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'pv-title',
      'aria-describedby': 'pv-description', lang: lang, hidden: true
    }, [
      element('div', {'class': 'pv-inner'}, [
        button('pv-close', 'pv-close', texts.close),
        first, second,
        element('p', {id: 'pv-status', 'class': 'pv-status', role: 'status', 'aria-live': 'polite'}, [])
      ])
    ]);
    document.body.appendChild(dialog);

    // Room at the end of the page, so that the fixed button never has to cover the last content.
    document.body.appendChild(element('div', {id: 'pv-reopen-space', 'aria-hidden': 'true', hidden: true}, []));
    reopenButton = element('button', {type: 'button', id: 'pv-reopen', lang: lang, hidden: true}, [texts.reopen]);
    document.body.appendChild(reopenButton);

    byId('pv-reject-all').addEventListener('click', function () {
      save({statistics: false, marketing: false});
    });
    byId('pv-accept-all').addEventListener('click', function () {
      save({statistics: true, marketing: true});
    });
    byId('pv-choose').addEventListener('click', function () {
      showLayer(2);
    });
    byId('pv-save').addEventListener('click', function () {
      save({statistics: checked('pv-statistics'), marketing: checked('pv-marketing')});
    });
    byId('pv-close').addEventListener('click', close);
    reopenButton.addEventListener('click', function () {
      open(2);
    });
    dialog.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape' && event.key !== 'Esc') {
        return;
      }
      event.preventDefault();
      if (!byId('pv-second').hidden) {
        showLayer(1);
      } else if (current) {
        close();
      }
    });
    document.addEventListener('click', function (event) {
      const target = event.target instanceof Element ? event.target.closest('[data-pv-consent-open]') : null;
      if (target) {
        event.preventDefault();
        open(2);
      }
    });
  }

  /** A category's box, absent when the catalog does not declare the category. */
  function checked(id) {
    const box = byId(id);
    return box ? box.checked : false;
  }

  function status(message) {
    byId('pv-status').textContent = message;
  }

  function showLayer(layer) {
    status('');
    byId('pv-first').hidden = layer !== 1;
    byId('pv-second').hidden = layer !== 2;
    if (layer === 2) {
      const choice = current || {statistics: false, marketing: false};
      const statistics = byId('pv-statistics');
      const marketing = byId('pv-marketing');
      if (statistics) {
        statistics.checked = choice.statistics;
      }
      if (marketing) {
        marketing.checked = choice.marketing && !gpc;
      }
      (statistics || marketing || byId('pv-save')).focus();
    } else {
      byId('pv-reject-all').focus();
    }
  }

  /** Non-modal: the page stays usable, but there is no way to dismiss the first question unanswered. */
  function open(layer) {
    const active = document.activeElement;
    if (dialog.hidden && active && active !== document.body && !dialog.contains(active)) {
      returnFocus = active;
    }
    byId('pv-close').hidden = !current;
    dialog.classList.toggle('pv-can-close', !!current);
    showReopen(false);
    dialog.hidden = false;
    showLayer(layer);
  }

  function close() {
    dialog.hidden = true;
    status('');
    showReopen(!!current);
    const target = returnFocus && returnFocus !== reopenButton && document.contains(returnFocus)
      ? returnFocus : (current && !reopenButton.hidden ? reopenButton : null);
    returnFocus = null;
    if (target) {
      target.focus();
    }
  }

  function save(choice) {
    if (saving) {
      return;
    }
    const wanted = effective(choice);
    saving = true;
    dialog.setAttribute('aria-busy', 'true');
    status('');
    fetch(base + '/api/v1/public/cookie-consent', {
      method: 'POST',
      credentials: 'include',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({choices: {statistics: wanted.statistics, marketing: wanted.marketing}})
    }).then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.json();
    }).then(function (granted) {
      // What the server granted, never more than was asked for.
      current = {
        statistics: wanted.statistics && granted.statistics === true,
        marketing: wanted.marketing && granted.marketing === true
      };
      close();
      apply(current);
    }).catch(function () {
      status(texts.error);
    }).then(function () {
      saving = false;
      dialog.setAttribute('aria-busy', 'false');
    });
  }

  function pixel(query) {
    const image = new Image(1, 1);
    pixels.push(image);
    image.src = base + '/t.gif?' + query;
  }

  function apply(choice) {
    const granted = function (yes) {
      return yes ? 'granted' : 'denied';
    };
    if (typeof window.gtag === 'function') {
      window.gtag('consent', 'update', {
        analytics_storage: granted(choice.statistics),
        ad_storage: granted(choice.marketing),
        ad_user_data: granted(choice.marketing),
        ad_personalization: granted(choice.marketing)
      });
    }
    const path = encodeURIComponent(location.pathname);
    if (choice.statistics && !pageviewSent) {
      pageviewSent = true;
      pixel('e=pageview&p=' + path);
    }
    const campaign = new URLSearchParams(location.search).get('utm_campaign');
    if (choice.marketing && campaign && !campaignSent) {
      campaignSent = true;
      pixel('e=campaign&c=' + encodeURIComponent(campaign) + '&p=' + path);
    }
    document.dispatchEvent(new CustomEvent('personvern:consent', {
      detail: {statistics: choice.statistics, marketing: choice.marketing}
    }));
  }

  function whenReady(action) {
    if (ready) {
      action();
    } else {
      pending.push(action);
    }
  }

  function init() {
    lang = /^(nb|no|nn)\b/i.test(document.documentElement.lang || '') ? 'nb' : 'en';
    texts = TEXTS[lang];
    const stored = readStoredChoice();
    current = stored ? effective(stored) : null;
    build();
    // The signals go out at once; only what the visitor sees waits for the stylesheet.
    if (current) {
      apply(current);
    } else if (!anythingOffered()) {
      // Nothing but the necessary: there is nothing to ask, and nothing is granted.
      apply({statistics: false, marketing: false});
    }
    loadStylesheet(start);
  }

  function start() {
    ready = true;
    if (current) {
      showReopen(true);
    } else if (anythingOffered()) {
      open(1);
    }
    pending.splice(0).forEach(function (action) {
      action();
    });
  }

  window.Personvern = {
    version: VERSION,
    openConsent: function () {
      whenReady(function () {
        open(2);
      });
    },
    choice: function () {
      return current ? {statistics: current.statistics, marketing: current.marketing} : null;
    }
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
