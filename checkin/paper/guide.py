"""The one-page volunteer guide, in English and Spanish: plain data, no Qt.

One source for both places a volunteer reads it: the printed page (`checkin guide`, the paper
kit; checkin/paper/guide_pdf.py) and the app's F1 help (ui/app/shell.py). The colours, symbols and
sounds
are the desk's own (ui/desk/banner.py, tools/make_sounds.py); keep them in step.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class Tone:
    """One banner colour: its name, the colour itself (hex), symbol, sound and meaning."""

    colour: str
    hex: str
    symbol: str
    sound: str
    meaning: str
    examples: str


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Guide:
    language: str
    title: str
    intro: str
    scan: Section
    tones_title: str
    tones: tuple[Tone, ...]
    sections: tuple[Section, ...]  # walk-ups, NOT saved, the laptop dies
    footer: str


_ENGLISH = Guide(
    language="en",
    title="Check-in desk: volunteer guide",
    intro="One page to read before your shift. Press F1 in the app to see it again.",
    scan=Section(
        "How to scan",
        (
            "Type your first name in Volunteer (top of the desk): it is saved with every scan.",
            "Scan the person's QR code (phone or paper) with the scanner, or hold it up to the "
            "webcam (camera panel, bottom right). The scan field is always ready: nothing to "
            "click.",
            "No code? Type a name, the last 4 digits of a phone or #number: Up/Down picks, "
            "Enter checks in. A code typed by hand works too (case and dashes do not matter).",
            "Read the banner, then look up: the person, not the screen. Esc clears, "
            "Ctrl+Z undoes your last action (it asks first).",
            'Grey "Saving…", no sound: wait for the colour before you hand anything over.',
        ),
    ),
    tones_title="What the colours and sounds mean",
    tones=(
        Tone(
            "Green",
            "#1b7f3b",
            "✔",
            "rising two-note chime",
            "Go ahead: it is saved.",
            "Checked in (welcome; tickets issued), ticket given, hand over the resource, "
            "flyer recorded, winner: hand over the prize.",
        ),
        Tone(
            "Blue",
            "#1565c0",
            "↻",
            "one soft tick",
            "Same scan again.",
            "The scanner read it twice; it counts once. Give nothing more.",
        ),
        Tone(
            "Amber",
            "#ffb300",
            "⚠",
            "double beep",
            "Look before you act.",
            "Already checked in (when and where), ticket not given to anyone yet, flyer "
            "(register a walk-up), limit reached, not a winner, a stock ran out (hand over "
            "what is left, as the banner says), entitled (scan a ticket from the stack).",
        ),
        Tone(
            "Red",
            "#c62828",
            "✖",
            "low buzz",
            "Stop: nothing was given.",
            "Not found, wrong event, not genuine, typo, not a check-in code, already used, "
            "prize already handed over, out of stock, cancelled, not valid at this station, "
            "NOT saved.",
        ),
        Tone(
            "Purple",
            "#6a1b9a",
            "!",
            "three-note call",
            "A note for this person.",
            "Read it and help (for example a wheelchair-accessible seat).",
        ),
    ),
    sections=(
        Section(
            "Walk-ups (no code)",
            (
                "Press F2. Only the household size is needed; name, ZIP and language are optional.",
                "Phone and email only if the person ticks consent. Never insist on details.",
                "Enter registers, checks in and issues the tickets; their QR code shows on the "
                "right for a phone photo.",
            ),
        ),
        Section(
            "Red NOT saved",
            (
                "The person is NOT checked in and no ticket counts: scan again.",
                "The second line says why (disk full, network, USB stick). Twice in a row: "
                "call the organiser and write the person down on the paper kit.",
                "When saving works again, a bar says so: scan again whoever showed NOT saved.",
            ),
        ),
        Section(
            "When the laptop dies",
            (
                "Everything the screen showed as saved is safe in the event file.",
                "Keep going on paper: tick pre-registered people on the list, write walk-ups on "
                "the tally sheet (adults, kids, seniors, ZIP), tally the tickets you hand out.",
                "Tell the organiser. Restarted, the app opens the same event: carry on scanning. "
                "The paper counts are entered afterwards.",
            ),
        ),
    ),
    footer="Questions: ask the organiser. Thank you for volunteering!",
)

_SPANISH = Guide(
    language="es",
    title="Mesa de registro: guía para voluntarios",
    intro="Una página para leer antes de su turno. Pulse F1 en la aplicación para verla otra vez.",
    scan=Section(
        "Cómo escanear",
        (
            "Escriba su nombre en Voluntario(a) (arriba en la mesa): se guarda con cada escaneo.",
            "Escanee el código QR de la persona (teléfono o papel) con el escáner, o muéstrelo a "
            "la cámara (panel de la cámara, abajo a la derecha). El campo de escaneo siempre "
            "está listo; no hay que hacer clic.",
            "¿Sin código? Escriba un nombre, los últimos 4 dígitos del teléfono o #número: "
            "Arriba/Abajo elige, Intro registra. También vale escribir el código a mano "
            "(mayúsculas y guiones no importan).",
            "Lea el aviso y luego mire a la persona, no a la pantalla. Esc borra, Ctrl+Z deshace "
            "su última acción (pregunta antes).",
            "Gris «Guardando…», sin sonido: espere el color antes de entregar nada.",
        ),
    ),
    tones_title="Qué significan los colores y los sonidos",
    tones=(
        Tone(
            "Verde",
            "#1b7f3b",
            "✔",
            "campanada de dos notas que sube",
            "Adelante: está guardado.",
            "Registrado (bienvenida; boletos entregados), boleto asignado, entregue el recurso, "
            "volante registrado, ganador: entregue el premio.",
        ),
        Tone(
            "Azul",
            "#1565c0",
            "↻",
            "un tic suave",
            "Mismo escaneo otra vez.",
            "El escáner leyó dos veces; cuenta una vez. No dé nada más.",
        ),
        Tone(
            "Ámbar",
            "#ffb300",
            "⚠",
            "doble pitido",
            "Mire antes de actuar.",
            "Ya registrado (cuándo y dónde), boleto aún sin dueño, volante (registre sin "
            "registro previo), límite alcanzado, no ganó, se agotaron existencias (entregue lo "
            "que queda, como dice el aviso), le corresponde (escanee un boleto de la pila).",
        ),
        Tone(
            "Rojo",
            "#c62828",
            "✖",
            "zumbido grave",
            "Pare: no se entregó nada.",
            "No encontrado, otro evento, no auténtico, error al escribir, no es un código, ya "
            "usado, premio ya entregado, agotado, cancelado, no vale en esta estación, NO se "
            "guardó.",
        ),
        Tone(
            "Morado",
            "#6a1b9a",
            "!",
            "llamada de tres notas",
            "Una nota para esta persona.",
            "Léala y ayude (por ejemplo, un asiento accesible en silla de ruedas).",
        ),
    ),
    sections=(
        Section(
            "Sin registro previo (sin código)",
            (
                "Pulse F2. Solo hace falta el tamaño del hogar; nombre, código postal e idioma "
                "son opcionales.",
                "Teléfono y correo solo si la persona marca su consentimiento. Nunca insista.",
                "Intro registra, da entrada y entrega los boletos; su código QR aparece a la "
                "derecha para una foto con el teléfono.",
            ),
        ),
        Section(
            "Rojo NO se guardó",
            (
                "La persona NO quedó registrada y ningún boleto cuenta: escanee de nuevo.",
                "La segunda línea dice por qué (disco lleno, red, memoria USB). Dos veces "
                "seguidas: llame al organizador y anote a la persona en el kit de papel.",
                "Cuando el guardado vuelve a funcionar, una barra lo dice: escanee otra vez a "
                "quien salió como NO guardado.",
            ),
        ),
        Section(
            "Cuando la computadora se apaga",
            (
                "Todo lo que la pantalla mostró como guardado está seguro en el archivo del "
                "evento.",
                "Siga en papel: marque a los preinscritos en la lista, anote a los que llegan sin "
                "registro en la hoja de conteo (adultos, niños, mayores, código postal) y cuente "
                "los boletos que entrega.",
                "Avise al organizador. Al reiniciar, la aplicación abre el mismo evento: siga "
                "escaneando. Los conteos en papel se ingresan después.",
            ),
        ),
    ),
    footer="¿Preguntas? Consulte al organizador. ¡Gracias por ser voluntario(a)!",
)

GUIDES = {"en": _ENGLISH, "es": _SPANISH}


def guide(language: str) -> Guide:
    """The guide in ``language`` ("en" or "es"); English for any other code."""
    return GUIDES.get(language, _ENGLISH)


def as_text(text: Guide) -> str:
    """The guide as plain text, for the app's help window."""
    parts = [text.title, "", text.intro, "", text.scan.title.upper()]
    parts += [f"• {line}" for line in text.scan.lines]
    parts += ["", text.tones_title.upper()]
    parts += [
        f"{tone.symbol} {tone.colour} ({tone.sound}): {tone.meaning} {tone.examples}"
        for tone in text.tones
    ]
    for section in text.sections:
        parts += ["", section.title.upper()]
        parts += [f"• {line}" for line in section.lines]
    parts += ["", text.footer]
    return "\n".join(parts)
