"""Spanish (neutral Latin American) for every string the screens show, by English source.

tools/update_translations.py copies these into resources/translations/checkin_es.ts. Keep the
placeholders (%1, %n, {name}) and one & (keyboard accelerator) where the source has one.
Plural messages (%n) map to (singular, plural).
"""

from __future__ import annotations

SPANISH: dict[str, str | tuple[str, str]] = {
    # --- common words ---------------------------------------------------------------------
    "Cancel": "Cancelar",
    "Close": "Cerrar",
    "Delete": "Eliminar",
    "Remove": "Quitar",
    "Restore": "Restaurar",
    "Unlock": "Desbloquear",
    "Yes": "Sí",
    "No": "No",
    "Any": "Cualquiera",
    "No limit": "Sin límite",
    "Name": "Nombre",
    "Number": "Número",
    "Household": "Hogar",
    "ZIP": "Código postal",
    "Source": "Origen",
    "Station": "Estación",
    "Stations": "Estaciones",
    "Mode": "Modo",
    "Kind": "Tipo",
    "Quantity": "Cantidad",
    "Sponsor": "Patrocinador",
    "Stock": "Existencias",
    "State": "Estado",
    "Prize": "Premio",
    "Prizes": "Premios",
    "Winner": "Ganador",
    "Drawn": "Sorteados",
    "Drawn at": "Sorteado a las",
    "Redraw": "Volver a sortear",
    "Raffle": "Rifa",
    "Export": "Exportar",
    "Scans": "Escaneos",
    "People": "Personas",
    "Dashboard": "Panel",
    "households": "hogares",
    "people": "personas",
    "handed out": "entregados",
    "redeemed": "canjeados",
    "Checked in": "Registrado",
    "Walk-up": "Sin registro previo",
    "Pre-registered": "Con registro previo",
    "Guest #%1": "Invitado n.º %1",
    "Check-in desk": "Mesa de registro",
    "Resource station": "Estación de recursos",
    "Prize table": "Mesa de premios",
    "Raffle ticket": "Boleto de rifa",
    "Resource ticket": "Boleto de recurso",
    "Ticket type": "Tipo de boleto",
    "Ticket types": "Tipos de boleto",
    "Ticket No.": "Boleto n.º",
    " min": " min",
    "Organiser passphrase": "Frase de acceso del organizador",
    "Failed: {message}": "Falló: {message}",
    # --- attendee list --------------------------------------------------------------------
    "Filter by name, code, ZIP, phone or number": (
        "Filtrar por nombre, código, código postal, teléfono o número"
    ),
    "Filter the attendee list": "Filtrar la lista de asistentes",
    "Everyone": "Todos",
    "Not yet arrived": "Aún no llegan",
    "Show everyone or only arrivals": "Mostrar a todos o solo a quienes llegaron",
    "Number of attendees shown": "Número de asistentes mostrados",
    "The attendee list is locked. Unlock organiser screens to see it.": (
        "La lista de asistentes está bloqueada. Desbloquee las pantallas del organizador "
        "para verla."
    ),
    "Attendee list locked": "Lista de asistentes bloqueada",
    "All attendees": "Todos los asistentes",
    "Attendees: %1": "Asistentes: %1",
    # --- backups ------------------------------------------------------------------------------
    "Backup status": "Estado de la copia de seguridad",
    "Back up now": "Hacer copia ahora",
    "Choose the backup folder…": "Elegir la carpeta de copias…",
    "Restore from a backup…": "Restaurar desde una copia…",
    "No backup yet": "Aún no hay copia",
    "Backups go to %1": "Las copias se guardan en %1",
    "Backups: on the server": "Copias: en el servidor",
    "Last backup %1 ✓": "Última copia %1 ✓",
    " (last good backup %1)": " (última copia correcta %1)",
    "Backup failed%1: %2": "La copia falló%1: %2",
    "Only the organiser changes backups. Organiser passphrase:": (
        "Solo el organizador cambia las copias. Frase de acceso del organizador:"
    ),
    "Backup folder (a USB stick)": "Carpeta de copias (una memoria USB)",
    "Restore from a backup": "Restaurar desde una copia",
    "Everything done since the backup will be replaced by the backup. The current file is "
    "kept next to it as a copy (.before-restore).": (
        "Todo lo hecho desde la copia se reemplazará por la copia. El archivo actual se "
        "conserva a su lado como copia (.before-restore)."
    ),
    "Backups, newest first": "Copias, la más reciente primero",
    "Another file…": "Otro archivo…",
    "Choose another backup file": "Elegir otro archivo de copia",
    "Restore the chosen backup": "Restaurar la copia elegida",
    "No backups in %1": "No hay copias en %1",
    "Restore status": "Estado de la restauración",
    "Backup file": "Archivo de copia",
    "Replace the event file with %1?": "¿Reemplazar el archivo del evento por %1?",
    "Choose a backup first.": "Primero elija una copia.",
    "A shared server database is restored on the server.": (
        "Una base de datos compartida en un servidor se restaura en el servidor."
    ),
    "Restored %1. The previous file is kept as %2.": (
        "Se restauró %1. El archivo anterior se conserva como %2."
    ),
    # --- connection ---------------------------------------------------------------------------
    "Connection to the event database": "Conexión con la base de datos del evento",
    "Server connected": "Servidor conectado",
    "Event file unreachable — scans are NOT being saved": (
        "No se puede acceder al archivo del evento: los escaneos NO se están guardando"
    ),
    "Server unreachable — scans are NOT being saved": (
        "No se puede acceder al servidor: los escaneos NO se están guardando"
    ),
    "Saving works again — scan again what was shown as NOT saved ({count})": (
        "El guardado funciona de nuevo: vuelva a escanear lo que salió como NO guardado ({count})"
    ),
    "Connected again": "Conectado de nuevo",
    # --- dashboard ----------------------------------------------------------------------------
    "Last updated": "Última actualización",
    "Households checked in": "Hogares registrados",
    "Adults · kids · seniors": "Adultos · niños · mayores",
    "Failed scans": "Escaneos fallidos",
    "Busiest 15 minutes": "Los 15 minutos con más movimiento",
    "Arrivals per 15 minutes": "Llegadas cada 15 minutos",
    "Arrivals per 15 minutes chart": "Gráfica de llegadas cada 15 minutos",
    "Tickets handed out and redeemed": "Boletos entregados y canjeados",
    "Tickets per type chart": "Gráfica de boletos por tipo",
    "Could not read the figures: {message}": "No se pudieron leer las cifras: {message}",
    "Scans ({repeats} repeats)": "Escaneos ({repeats} repetidos)",
    "Busiest 15 minutes ({n} households)": "Los 15 minutos con más movimiento ({n} hogares)",
    "Updated {time}": "Actualizado {time}",
    # --- event details ------------------------------------------------------------------------
    "Event &name": "&Nombre del evento",
    "&Date": "&Fecha",
    "&Location": "&Lugar",
    "New &organiser passphrase": "Nueva frase de acceso del &organizador",
    "Re&peat the passphrase": "Re&pita la frase de acceso",
    "Event name": "Nombre del evento",
    "Has a date": "Tiene fecha",
    "The event has a date": "El evento tiene fecha",
    "Event date": "Fecha del evento",
    "Event location": "Lugar del evento",
    "Save event details": "Guardar los datos del evento",
    "New organiser passphrase": "Nueva frase de acceso del organizador",
    "Repeat the new organiser passphrase": "Repita la nueva frase de acceso del organizador",
    "Change passphrase": "Cambiar la frase de acceso",
    "Change the organiser passphrase": "Cambiar la frase de acceso del organizador",
    "Event details status": "Estado de los datos del evento",
    "The event needs a name.": "El evento necesita un nombre.",
    "Event details saved.": "Datos del evento guardados.",
    "The passphrase needs at least %1 characters.": (
        "La frase de acceso necesita al menos %1 caracteres."
    ),
    "The two passphrases differ: type them again.": (
        "Las dos frases de acceso no coinciden: escríbalas de nuevo."
    ),
    "Organiser passphrase changed.": "Se cambió la frase de acceso del organizador.",
    # --- export -------------------------------------------------------------------------------
    "Export and report": "Exportación e informe",
    "Export folder": "Carpeta de exportación",
    "Choose…": "Elegir…",
    "Choose the export folder": "Elegir la carpeta de exportación",
    "Anonymous: no names, phones, emails, notes or codes (safe to share)": (
        "Anónimo: sin nombres, teléfonos, correos, notas ni códigos (se puede compartir)"
    ),
    "Anonymous export": "Exportación anónima",
    "Open the folder when done": "Abrir la carpeta al terminar",
    "Export CSV files": "Exportar archivos CSV",
    "Cancel the export": "Cancelar la exportación",
    "Export progress": "Progreso de la exportación",
    "Export status": "Estado de la exportación",
    "Save the report (PDF or HTML)…": "Guardar el informe (PDF o HTML)…",
    "Save the report": "Guardar el informe",
    "Type the confirmation to purge": "Escriba la confirmación para borrar",
    "Remove personal data": "Borrar los datos personales",
    "Folder:": "Carpeta:",
    "CSV files for partners and spreadsheets": "Archivos CSV para socios y hojas de cálculo",
    "Report for the department": "Informe para el departamento",
    "One or two pages of figures and charts, no personal data.": (
        "Una o dos páginas de cifras y gráficas, sin datos personales."
    ),
    "After the event: remove personal data": "Después del evento: borrar los datos personales",
    "Exports hold personal data. Organiser passphrase:": (
        "Las exportaciones contienen datos personales. Frase de acceso del organizador:"
    ),
    "Still locked: nothing was exported.": "Sigue bloqueado: no se exportó nada.",
    "Choose a folder first.": "Primero elija una carpeta.",
    "Exporting…": "Exportando…",
    "Cancelling…": "Cancelando…",
    "Export cancelled: the folder was left as it was.": (
        "Exportación cancelada: la carpeta quedó como estaba."
    ),
    "{kind} saved in {folder}: {files}": "{kind} guardado en {folder}: {files}",
    "PDF (*.pdf);;Web page (*.html)": "PDF (*.pdf);;Página web (*.html)",
    "Writing the report…": "Escribiendo el informe…",
    "Report saved: {path}": "Informe guardado: {path}",
    "Removes names, phones, emails, notes and external references of {n} attendees "
    "({phones} phones, {emails} emails) and {scans} scanner inputs that are not codes. "
    "Counts, zip codes, tickets and the raffle stay, so the report stays the same. This "
    "cannot be undone. Type “{phrase}” to confirm.": (
        "Borra los nombres, teléfonos, correos, notas y referencias externas de {n} asistentes "
        "({phones} teléfonos, {emails} correos) y {scans} lecturas del escáner que no son "
        "códigos. Los conteos, códigos postales, boletos y la rifa se quedan, así que el "
        "informe no cambia. Esto no se puede deshacer. Escriba “{phrase}” para confirmar."
    ),
    "Remove the personal data of {n} attendees for good?": (
        "¿Borrar para siempre los datos personales de {n} asistentes?"
    ),
    "Removing personal data…": "Borrando los datos personales…",
    # --- merge --------------------------------------------------------------------------------
    "Offline stations": "Estaciones sin conexión",
    "Station name for the copy": "Nombre de la estación para la copia",
    "Station name, e.g. desk-2 or meal": "Nombre de la estación, p. ej. mesa-2 o comida",
    "Save a station copy…": "Guardar una copia para una estación…",
    "Save a station copy of this event file": (
        "Guardar una copia de este archivo del evento para una estación"
    ),
    "Before the event: a copy for each laptop without network": (
        "Antes del evento: una copia para cada computadora sin red"
    ),
    "Station files to merge": "Archivos de estación para combinar",
    "Add station files…": "Agregar archivos de estación…",
    "Add station files": "Agregar archivos de estación",
    "Remove the selected station file": "Quitar el archivo de estación seleccionado",
    "Merge into this event": "Combinar con este evento",
    "Merge the station files into this event": "Combinar los archivos de estación con este evento",
    "Merge results": "Resultados de la combinación",
    "Merge status": "Estado de la combinación",
    "After the event: merge the stations' files": (
        "Después del evento: combinar los archivos de las estaciones"
    ),
    "Merging changes the event file. Organiser passphrase:": (
        "Combinar cambia el archivo del evento. Frase de acceso del organizador:"
    ),
    "Still locked: nothing was merged.": "Sigue bloqueado: no se combinó nada.",
    "Type the station's name first.": "Primero escriba el nombre de la estación.",
    "Station copy": "Copia para estación",
    "Event files (*.checkin)": "Archivos de evento (*.checkin)",
    "Station copy for %1 saved in %2 (Guest numbers from %3).": (
        "Copia para %1 guardada en %2 (números de invitado desde %3)."
    ),
    "Station files": "Archivos de estación",
    "Event files (*.checkin);;All files (*)": (
        "Archivos de evento (*.checkin);;Todos los archivos (*)"
    ),
    "Add the stations' files first.": "Primero agregue los archivos de las estaciones.",
    "Merging…": "Combinando…",
    "Merge failed, nothing was changed: %1": "La combinación falló, no se cambió nada: %1",
    "%1: already merged, nothing to do": "%1: ya combinado, no hay nada que hacer",
    "%1: %2 walk-ups, %3 check-ins, %4 new and %5 updated tickets, %6 scans, %7 draws": (
        "%1: %2 sin registro previo, %3 registros de entrada, %4 boletos nuevos y "
        "%5 actualizados, %6 escaneos, %7 sorteos"
    ),
    "  CONFLICT %1: %2": "  CONFLICTO %1: %2",
    "  note: %1": "  nota: %1",
    "%1: NOT merged: %2": "%1: NO combinado: %2",
    "%1 files merged, %2 conflicts, %3 refused": (
        "%1 archivos combinados, %2 conflictos, %3 rechazados"
    ),
    # --- organiser lock -------------------------------------------------------------------------
    "This screen holds personal data. Type the &organiser passphrase to open it.": (
        "Esta pantalla contiene datos personales. Escriba la frase de acceso del "
        "&organizador para abrirla."
    ),
    "Passphrase error": "Error en la frase de acceso",
    "Unlock organiser screens": "Desbloquear las pantallas del organizador",
    "Cancel and stay locked": "Cancelar y seguir bloqueado",
    "Wrong passphrase. Check the spelling and Caps Lock, then try again.": (
        "Frase de acceso incorrecta. Revise la ortografía y las mayúsculas (Bloq Mayús) "
        "e intente de nuevo."
    ),
    # --- prize table ------------------------------------------------------------------------------
    "Scan the winning raffle ticket, or type its code and press Enter.": (
        "Escanee el boleto de rifa ganador, o escriba su código y presione Enter."
    ),
    "Winning ticket code": "Código del boleto ganador",
    "Scan or type a ticket code": "Escanee o escriba el código de un boleto",
    "Waiting for a winner": "Esperando a un ganador",
    "Scan result": "Resultado del escaneo",
    "Drawn prizes": "Premios sorteados",
    "Minutes a winner has before a redraw": (
        "Minutos que tiene un ganador antes de volver a sortear"
    ),
    "Display for the big screen": "Pantalla para la proyección",
    "Open big screen": "Abrir la pantalla grande",
    "Open the raffle big screen": "Abrir la pantalla grande de la rifa",
    "A winner who does not come can be redrawn after": (
        "Si un ganador no se presenta, se puede volver a sortear después de"
    ),
    "Sponsored by %1": "Patrocinado por %1",
    "This ticket was cancelled": "Este boleto fue anulado",
    "This code is not in this event file": "Este código no está en el archivo de este evento",
    "This code belongs to a different event": "Este código es de otro evento",
    "This code is not genuine: it was not made by this event": (
        "Este código no es auténtico: no lo generó este evento"
    ),
    "That code has a typo: check the characters and type it again": (
        "Ese código tiene un error: revise los caracteres y escríbalo de nuevo"
    ),
    "Not a code of this app": "No es un código de esta aplicación",
    "Scan the winning raffle ticket here, not the person's own code": (
        "Escanee aquí el boleto de rifa ganador, no el código personal"
    ),
    "NOT saved: the event file could not be written. Scan again.": (
        "NO se guardó: no se pudo escribir en el archivo del evento. Escanee de nuevo."
    ),
    "This code cannot be used at the prize table": (
        "Este código no se puede usar en la mesa de premios"
    ),
    "Waiting for the winner": "Esperando al ganador",
    "In %n min": ("En %n min", "En %n min"),
    "The winner still has time to come to the prize table": (
        "El ganador todavía tiene tiempo para venir a la mesa de premios"
    ),
    "The winner still has %n minute(s) to come": (
        "Al ganador le queda %n minuto para venir",
        "Al ganador le quedan %n minutos para venir",
    ),
    "Nobody else is eligible for this prize": "Nadie más puede participar por este premio",
    "This prize cannot be redrawn: it was claimed or already redrawn": (
        "Este premio no se puede volver a sortear: ya se entregó o ya se volvió a sortear"
    ),
    # --- prizes editor ----------------------------------------------------------------------------
    "Prizes in the order of drawing": "Premios en el orden del sorteo",
    "Prize name": "Nombre del premio",
    "How many of this prize": "Cuántos hay de este premio",
    "Sponsor (optional)": "Patrocinador (opcional)",
    "Add prize": "Agregar premio",
    "Save changes": "Guardar cambios",
    "Draw earlier": "Sortear antes",
    "Draw later": "Sortear después",
    "Add a prize": "Agregar un premio",
    "Save the selected prize": "Guardar el premio seleccionado",
    "Remove the selected prize": "Quitar el premio seleccionado",
    "Move the selected prize earlier": "Sortear antes el premio seleccionado",
    "Move the selected prize later": "Sortear después el premio seleccionado",
    "Only people who checked in can win": "Solo pueden ganar las personas registradas",
    "How many prizes one household can win": "Cuántos premios puede ganar un hogar",
    "One prize per household": "Un premio por hogar",
    "One prize per person in the household": "Un premio por persona del hogar",
    "No limit (each ticket can win once)": "Sin límite (cada boleto puede ganar una vez)",
    "Tickets handed out after this time are not in the draw": (
        "Los boletos entregados después de esta hora no entran en el sorteo"
    ),
    "Cut-off time for raffle tickets": "Hora límite para los boletos de rifa",
    "Save rules": "Guardar reglas",
    "Save the raffle rules": "Guardar las reglas de la rifa",
    "Rules of the draw": "Reglas del sorteo",
    "Wins": "Premios ganados",
    "Cut-off": "Hora límite",
    "Redraw a no-show after": "Volver a sortear si no se presenta después de",
    "Prizes editor status": "Estado del editor de premios",
    "Prize added": "Premio agregado",
    "Prize saved": "Premio guardado",
    "Prize removed": "Premio quitado",
    "Order of drawing changed": "Se cambió el orden del sorteo",
    "Rules saved": "Reglas guardadas",
    # --- raffle big screen ------------------------------------------------------------------------
    "Raffle big screen": "Pantalla grande de la rifa",
    "Any key: show the number": "Cualquier tecla: mostrar el número",
    "Space: next prize  ·  R: redraw  ·  M: next display  ·  Esc: leave": (
        "Espacio: siguiente premio  ·  R: volver a sortear  ·  M: siguiente pantalla  ·  Esc: salir"
    ),
    "Space: check again  ·  R: redraw  ·  M: next display  ·  Esc: leave": (
        "Espacio: revisar de nuevo  ·  R: volver a sortear  ·  M: siguiente pantalla  ·  Esc: salir"
    ),
    "Space: draw  ·  W: witness number  ·  R: redraw  ·  M: next display  ·  Esc: leave": (
        "Espacio: sortear  ·  W: número del testigo  ·  R: volver a sortear  ·  "
        "M: siguiente pantalla  ·  Esc: salir"
    ),
    "Winning ticket number": "Número del boleto ganador",
    "Redraw: ticket No. %1 did not come for it": (
        "Nuevo sorteo: el boleto n.º %1 no vino a recogerlo"
    ),
    "Ready to draw": "Listo para sortear",
    "Press Space to draw": "Presione Espacio para sortear",
    "Winner %1 of %2": "Ganador %1 de %2",
    "In the draw: %1 tickets  ·  pool hash %2…  ·  commitment %3…": (
        "En el sorteo: %1 boletos  ·  hash del grupo %2…  ·  compromiso %3…"
    ),
    "Witness number: %1": "Número del testigo: %1",
    "%1 tickets  ·  pool hash %2…  ·  commitment %3…  ·  seed %4…": (
        "%1 boletos  ·  hash del grupo %2…  ·  compromiso %3…  ·  semilla %4…"
    ),
    "witness %1": "testigo %1",
    "Anyone can check this draw: checkin raffle-log": (
        "Cualquiera puede verificar este sorteo: checkin raffle-log"
    ),
    "All prizes have been drawn. Thank you! / ¡Gracias a todos!": (
        "Se sortearon todos los premios. ¡Gracias a todos! / Thank you!"
    ),
    "All of this prize have been drawn": "Ya se sortearon todas las unidades de este premio",
    "This prize is not in the list": "Este premio no está en la lista",
    "Nobody is eligible for this prize yet": "Todavía nadie puede participar por este premio",
    "The winner still has %n minute(s) to come to the prize table": (
        "Al ganador le queda %n minuto para venir a la mesa de premios",
        "Al ganador le quedan %n minutos para venir a la mesa de premios",
    ),
    "This prize has no winner waiting to be replaced": (
        "Este premio no tiene un ganador pendiente que reemplazar"
    ),
    "That witness number cannot be used": "Ese número del testigo no se puede usar",
    "This draw was already made": "Este sorteo ya se hizo",
    "The pool changed (%1 tickets now): new commitment shown": (
        "El grupo cambió (ahora %1 boletos): se muestra un nuevo compromiso"
    ),
    # Shown together as a bilingual call: in Spanish the English line comes second.
    "Come to the prize table!": "¡Venga a la mesa de premios!",
    "¡Venga a la mesa de premios!": "Come to the prize table!",
    "Witness number": "Número del testigo",
    "Number called out by someone in the crowd:": (
        "Número que dice en voz alta alguien del público:"
    ),
    "Nobody came for %1 (ticket No. %2). Draw again?": (
        "Nadie vino por %1 (boleto n.º %2). ¿Sortear de nuevo?"
    ),
    "No winner is waiting to be replaced": "No hay un ganador pendiente que reemplazar",
    "Ticket No. %1 still has %n minute(s) to come": (
        "Al boleto n.º %1 le queda %n minuto para venir",
        "Al boleto n.º %1 le quedan %n minutos para venir",
    ),
    # --- setup ------------------------------------------------------------------------------------
    "Setup is locked": "La configuración está bloqueada",
    "Event setup and the full attendee list are for organisers. Volunteers at the desk do not "
    "need them.": (
        "La configuración del evento y la lista completa de asistentes son para los "
        "organizadores. Los voluntarios de la mesa no las necesitan."
    ),
    "&Unlock with the organiser passphrase": "&Desbloquear con la frase de acceso del organizador",
    "Unlock setup": "Desbloquear la configuración",
    "&Event": "&Evento",
    "&Ticket types": "&Tipos de boleto",
    "&Stations": "E&staciones",
    "&Raffle": "&Rifa",
    "&Attendees": "&Asistentes",
    "Setup sections": "Secciones de la configuración",
    "Event setup": "Configuración del evento",
    "Lock organiser screens": "Bloquear las pantallas del organizador",
    # --- stations ---------------------------------------------------------------------------------
    "Station &name": "&Nombre de la estación",
    "&Mode": "&Modo",
    "Ticket t&ype it gives": "Tipo de boleto que entre&ga",
    "Station name": "Nombre de la estación",
    "e.g. Food tent": "p. ej. Carpa de comida",
    "Station mode": "Modo de la estación",
    "Ticket type the station redeems": "Tipo de boleto que canjea la estación",
    "Save station": "Guardar estación",
    "Add or update the station": "Agregar o actualizar la estación",
    "Stations status": "Estado de las estaciones",
    "A resource station needs a resource ticket type.": (
        "Una estación de recursos necesita un tipo de boleto de recurso."
    ),
    "Station saved": "Estación guardada",
    # --- ticket types -----------------------------------------------------------------------------
    "%1 per household": "%1 por hogar",
    "%1 per household member": "%1 por integrante del hogar",
    "%1 per child": "%1 por niño",
    "Each household gets": "Cada hogar recibe",
    "Stock left": "Existencias restantes",
    "Handed out": "Entregados",
    "At check-in": "Al registrarse",
    "Fixed number per household": "Cantidad fija por hogar",
    "Per household member": "Por integrante del hogar",
    "Per child": "Por niño",
    "&Kind": "T&ipo",
    "&Name": "&Nombre",
    "R&ule": "Re&gla",
    "&Quantity": "&Cantidad",
    "St&ock": "E&xistencias",
    "Stations that may re&deem": "Estaciones que pueden can&jearlo",
    "&Partner contact": "Contacto &del socio",
    "Ticket kind": "Tipo de boleto (rifa o recurso)",
    "Ticket type name": "Nombre del tipo de boleto",
    "How the number of tickets is worked out": "Cómo se calcula el número de boletos",
    "Quantity for the rule": "Cantidad para la regla",
    "Limited stock": "Existencias limitadas",
    "This ticket type has a limited stock": "Este tipo de boleto tiene existencias limitadas",
    "Stations that may redeem": "Estaciones que pueden canjearlo",
    "Station names separated by commas; empty: any station": (
        "Nombres de estaciones separados por comas; vacío: cualquier estación"
    ),
    "Partner contact text for referral slips": (
        "Texto de contacto del socio para las hojas de referencia"
    ),
    "Printed on referral slips, e.g. the partner's phone and address": (
        "Se imprime en las hojas de referencia, p. ej. el teléfono y la dirección del socio"
    ),
    "Issued at check-in": "Se entrega al registrarse",
    "Hand out this ticket type at check-in": "Entregar este tipo de boleto al registrarse",
    "All": "Todos",
    "how many: ": "cuántos: ",
    "How many at check-in": "Cuántos al registrarse",
    "All: the whole allowance at check-in. Fewer: the rest can be handed out from pre-printed"
    " tickets, scanned at the desk with the person on screen.": (
        "Todos: lo que le toca, completo, al registrarse. Menos: el resto se puede entregar con"
        " boletos preimpresos, escaneados en la mesa con la persona en pantalla."
    ),
    "Add ticket type": "Agregar tipo de boleto",
    "Add a ticket type": "Agregar un tipo de boleto",
    "Save the selected ticket type": "Guardar el tipo de boleto seleccionado",
    "Delete the selected ticket type": "Eliminar el tipo de boleto seleccionado",
    "Ticket types status": "Estado de los tipos de boleto",
    "Ticket type added": "Tipo de boleto agregado",
    "Ticket type saved": "Tipo de boleto guardado",
    "Delete the ticket type %1?": "¿Eliminar el tipo de boleto %1?",
    "Ticket type deleted": "Tipo de boleto eliminado",
    "Delete ticket type": "Eliminar tipo de boleto",
    # --- the desk: scan results (ui/desk/messages.py) ------------------------------------------
    "%n ticket(s) issued": "%n boleto(s) entregado(s)",
    "Welcome, {name}!": "¡Bienvenido(a), {name}!",
    "at {when} at {where}": "a las {when} en {where}",
    "at {when}": "a las {when}",
    "{name} is already checked in": "{name} ya registró su entrada",
    "Ticket given to {name}": "Boleto entregado a {name}",
    "{type} ticket No. {serial}": "Boleto de {type} n.º {serial}",
    "Ticket not given to anyone yet": "Este boleto todavía no se ha entregado a nadie",
    "Scan or pick the person first, then scan this ticket": (
        "Primero escanee o elija a la persona, y luego escanee este boleto"
    ),
    "Hand over: {type}": "Entregue: {type}",
    "{name}": "{name}",
    "Not valid at this station": "No es válido en esta estación",
    "{type} ticket: use it at its own station": "Boleto de {type}: úselo en su propia estación",
    "Limit reached": "Límite alcanzado",
    "{name} already has all the {type} tickets they get": (
        "{name} ya tiene todos los boletos de {type} que le corresponden"
    ),
    "Out of stock": "Agotado",
    "No {type} left": "No quedan existencias de {type}",
    "Cancelled ticket": "Boleto anulado",
    "This {type} ticket was cancelled": "Este boleto de {type} fue anulado",
    "Not found": "No encontrado",
    "Wrong event": "Evento equivocado",
    "Not genuine": "No es auténtico",
    "This code was not made by this event": "Este código no lo generó este evento",
    "Typo in the code": "Error en el código",
    "Check the characters and type it again": "Revise los caracteres y escríbalo de nuevo",
    "Not a check-in code": "No es un código de registro",
    "That was not a code of this app": "Eso no era un código de esta aplicación",
    "Flyer: {campaign}": "Volante: {campaign}",
    "Register the person as a walk-up (F2), or scan their code first": (
        "Registre a la persona sin registro previo (F2), o escanee primero su código"
    ),
    "Flyer recorded": "Volante registrado",
    "{name} heard about us from {campaign}": "{name} supo de nosotros por {campaign}",
    "Winner! Hand over: {prize}": "¡Ganador! Entregue: {prize}",
    "Ticket No. {serial}": "Boleto n.º {serial}",
    "Prize already handed over": "El premio ya se entregó",
    "{prize} at {when}": "{prize} a las {when}",
    "Not a winner this time": "Esta vez no ganó",
    "Ticket No. {serial}: good luck next draw!": (
        "Boleto n.º {serial}: ¡buena suerte en el próximo sorteo!"
    ),
    "NOT saved: scan again": "NO se guardó: escanee de nuevo",
    "Saving…": "Guardando…",
    "%1 is damaged (%2): it was not opened; restore your latest backup "
    "(none was found in the backup folder)": (
        "%1 está dañado (%2): no se abrió; restaure su última copia de seguridad "
        "(no se encontró ninguna en la carpeta de copias)"
    ),
    "%1 is damaged (%2): it was not opened; restore the latest backup: %3": (
        "%1 está dañado (%2): no se abrió; restaure la última copia de seguridad: %3"
    ),
    "Internal error: this scan was NOT saved": "Error interno: este escaneo NO se guardó",
    "Scan again; if it repeats, tell the organiser": (
        "Escanee de nuevo; si se repite, avise al organizador"
    ),
    "Wait for the answer before handing over": "Espere la respuesta antes de entregar nada",
    "The event file could not be written": "No se pudo escribir en el archivo del evento",
    "Already used": "Ya se usó",
    "{type} ticket No. {serial} was used at {when} at {where}": (
        "El boleto de {type} n.º {serial} se usó a las {when} en {where}"
    ),
    "Scan or search": "Escanear o buscar",
    "Scan a code, or type a name, phone or code": (
        "Escanee un código, o escriba un nombre, teléfono o código"
    ),
    "Ready to scan": "Listo para escanear",
    "Scan a code, type a name, or press F2 for a walk-up": (
        "Escanee un código, escriba un nombre, o presione F2 para alguien sin registro previo"
    ),
    "Note: {notes}": "Nota: {notes}",
    "Search results": "Resultados de la búsqueda",
    "{mark}{name}  ·  #{number}  ·  household {size}  ·  {zip}": (
        "{mark}{name}  ·  n.º {number}  ·  hogar de {size}  ·  {zip}"
    ),
    "Person on screen": "Persona en pantalla",
    "Nobody selected": "Nadie seleccionado",
    "Household of {n}: {a} adults, {k} kids, {s} seniors": (
        "Hogar de {n}: {a} adultos, {k} niños, {s} mayores"
    ),
    "{type}: {held} given, {due} still due": "{type}: entregados {held}, pendientes {due}",
    # --- the desk: walk-up registration ------------------------------------------------------
    "&First name": "&Nombre",
    "&Last name": "&Apellido",
    "&Adults": "A&dultos",
    "&Kids": "N&iños",
    "&Seniors": "&Mayores",
    "&ZIP code": "Código &postal",
    "&Phone": "&Teléfono",
    "&Email": "&Correo electrónico",
    "Lan&guage": "Id&ioma",
    "First name": "Nombre",
    "Last name": "Apellido",
    "First name (optional)": "Nombre (opcional)",
    "Last name (optional)": "Apellido (opcional)",
    "Adults": "Adultos",
    "Kids": "Niños",
    "Seniors": "Mayores",
    "ZIP code": "Código postal",
    "ZIP code (optional)": "Código postal (opcional)",
    "Phone": "Teléfono",
    "Email": "Correo electrónico",
    "Preferred language": "Idioma preferido",
    "English": "Inglés",
    "Spanish": "Español",
    "Other": "Otro",
    "May we contact you? (phone or email)": "¿Podemos contactarle? (teléfono o correo)",
    "Only the household size is needed. Press Enter to check in.": (
        "Solo se necesita el tamaño del hogar. Presione Enter para registrar la entrada."
    ),
    "Register and check in": "Registrar y dar entrada",
    "Household of {n} (adults {a}, kids {k}, seniors {s})": (
        "Hogar de {n} (adultos {a}, niños {k}, mayores {s})"
    ),
    "1 ticket issued": "1 boleto entregado",
    "{n} tickets issued": "{n} boletos entregados",
    # --- the desk page, activity, camera, counters --------------------------------------------
    "Recent activity at this station": "Actividad reciente en esta estación",
    "Recent activity": "Actividad reciente",
    "&Undo last action (Ctrl+Z)": "&Deshacer lo último (Ctrl+Z)",
    "Undo last action": "Deshacer la última acción",
    "Nothing to undo at this station": "No hay nada que deshacer en esta estación",
    "No scans yet at this station.": "Todavía no hay escaneos en esta estación.",
    "Camera": "Cámara",
    "Start camera": "Encender la cámara",
    "Start or stop the camera": "Encender o apagar la cámara",
    "No camera found. Plug in a webcam or use the scanner.": (
        "No se encontró ninguna cámara. Conecte una cámara web o use el escáner."
    ),
    "Stop camera": "Apagar la cámara",
    "Counters": "Contadores",
    "Households checked in: {households} · people: {people}": (
        "Hogares registrados: {households} · personas: {people}"
    ),
    "{name}: {issued} issued, {redeemed} redeemed": (
        "{name}: {issued} entregados, {redeemed} canjeados"
    ),
    ", {left} left": ", quedan {left}",
    "Low stock: {names}": "Quedan pocas existencias: {names}",
    "Walk-up NOT saved": "Persona sin registro previo: NO se guardó",
    "Undone": "Deshecho",
    "Desk": "Mesa",
    "&Station": "&Estación",
    "S&tation": "Es&tación",
    "Volu&nteer": "V&oluntario(a)",
    "Volunteer first name": "Nombre del voluntario(a)",
    "your first name": "su nombre",
    "Ticket type this station gives out": "Tipo de boleto que entrega esta estación",
    "Walk-up (F2)": "Sin registro previo (F2)",
    "Register a walk-up": "Registrar a alguien sin registro previo",
    # --- main window ------------------------------------------------------------------------------
    "Setup": "Configuración",
    "Merge": "Combinar",
    "{event} — {file} — checkin": "{event} — {file} — checkin",
    "&File": "&Archivo",
    "&Open event file…": "&Abrir archivo del evento…",
    "&New event…": "&Nuevo evento…",
    "Open &recent": "Abrir &reciente",
    "&Quit": "&Salir",
    "End-of-shift &summary": "&Resumen del turno",
    "&Lock organiser screens": "&Bloquear las pantallas del organizador",
    "Scanner &check…": "&Prueba del escáner…",
    "&View": "&Ver",
    "&High contrast, large text (sunlight)": "&Alto contraste, letra grande (pleno sol)",
    "&Full screen": "&Pantalla completa",
    "&Language": "&Idioma",
    "&Help": "A&yuda",
    "&Keyboard shortcuts": "&Atajos de teclado",
    "End-of-shift summary": "Resumen del turno",
    "Station {station}, volunteer {volunteer}:": "Estación {station}, voluntario(a) {volunteer}:",
    "this help": "esta ayuda",
    "the volunteer guide": "la guía para voluntarios",
    "Hosting has stopped: this code no longer works.": (
        "El evento ya no se comparte en la red: este código ya no sirve."
    ),
    "Scans not on the host yet": "Escaneos que aún no llegaron al anfitrión",
    "What this laptop saved while working offline has not reached the host yet"
    " ({count} changes). It is kept on this laptop and sent the next time it joins the"
    " event (or the organiser merges this laptop's copy). Close anyway?": (
        "Lo que esta computadora guardó sin conexión aún no llegó al anfitrión"
        " ({count} cambios). Queda guardado en esta computadora y se envía la próxima vez que"
        " se una al evento (o cuando el organizador combine la copia de esta computadora)."
        " ¿Cerrar de todos modos?"
    ),
    "the colours, sounds and shortcuts": "los colores, sonidos y atajos",
    "Saving…: wait for the colour before handing anything over": (
        "Guardando…: espere el color antes de entregar nada"
    ),
    "Same scan again (the scanner read it twice): nothing more to give": (
        "El mismo escaneo otra vez (el escáner lo leyó dos veces): no hay nada más que dar"
    ),
    "one soft tick": "un tic suave",
    "register a walk-up": "registrar a alguien sin registro previo",
    "go to the scan / search field": "ir al campo de escaneo / búsqueda",
    "Up / Down, Enter": "Arriba / Abajo, Enter",
    "pick a search result and check them in": (
        "elegir un resultado de la búsqueda y registrar su entrada"
    ),
    "clear the person on screen and the search": "borrar la persona en pantalla y la búsqueda",
    "undo this station's last action (asks first)": (
        "deshacer la última acción de esta estación (pregunta antes)"
    ),
    "open an event file / create a new event": "abrir un archivo de evento / crear un evento nuevo",
    "lock the organiser screens": "bloquear las pantallas del organizador",
    "high contrast, large text": "alto contraste, letra grande",
    "full screen": "pantalla completa",
    "Keyboard shortcuts": "Atajos de teclado",
    # --- new event, start choice, scanner check -------------------------------------------------
    "New event": "Evento nuevo",
    "Organiser &passphrase": "Frase de acceso del &organizador",
    "Passphrase &again": "Frase de acceso otra &vez",
    "The passphrase locks setup, the attendee list and exports.": (
        "La frase de acceso bloquea la configuración, la lista de asistentes y las exportaciones."
    ),
    "The passphrases differ.": "Las frases de acceso no coinciden.",
    "That file already exists.": "Ese archivo ya existe.",
    "Scanner check": "Prueba del escáner",
    "Scan the test card here": "Escanee aquí la tarjeta de prueba",
    "Scan this test card with the scanner:": "Escanee esta tarjeta de prueba con el escáner:",
    "The scanner works: the test card arrived exactly.": (
        "El escáner funciona: la tarjeta de prueba llegó exactamente igual."
    ),
    "The test card arrived as: {text}": "La tarjeta de prueba llegó como: {text}",
    "Ends with: {end}. Speed: {cps} characters a second.": (
        "Termina con: {end}. Velocidad: {cps} caracteres por segundo."
    ),
    "checkin: choose an event": "checkin: elija un evento",
    "Welcome! Which event do you want to work on?": (
        "¡Bienvenido(a)! ¿Con qué evento quiere trabajar?"
    ),
    "Open the &demo event (to try it out or train)": (
        "Abrir el evento de &demostración (para probar o capacitarse)"
    ),
    "Create a &new event…": "Crear un evento &nuevo…",
    "&Open an event file…": "&Abrir un archivo de evento…",
    "Demo event": "Evento de demostración",
    "Open an event file": "Abrir un archivo de evento",
    "Ticket layout": "Diseño del boleto",
    "What paper is in this printer?": "¿Qué papel tiene esta impresora?",
    "Check-in code of {name}": "Código de registro de {name}",
    "Connect to a &shared server…": "Conectarse a un &servidor compartido…",
    "Shared server": "Servidor compartido",
    "Database address, e.g. postgresql+psycopg://checkin:PASSWORD@192.168.1.10/party": (
        "Dirección de la base de datos, p. ej. "
        "postgresql+psycopg://checkin:CLAVE@192.168.1.10/party"
    ),
    "The address starts with postgresql+psycopg://": (
        "La dirección empieza con postgresql+psycopg://"
    ),
    # --- the desk and check-in (shared vocabulary for screens still being written) -----------
    "Check in": "Registrar entrada",
    "Check-in": "Registro de entrada",
    "Settings": "Configuración",
    "Help": "Ayuda",
    "Search": "Buscar",
    "Undo": "Deshacer",
}

# Printing on demand, the full-screen code, the paper fallback and stock sheets.
SPANISH.update(
    {
        "Nothing to print": "No hay nada que imprimir",
        "No printer is available: show the code on screen for a phone photo, or print from "
        "another computer with `checkin tickets`.": (
            "No hay ninguna impresora disponible: muestre el código en pantalla para una foto "
            "con el teléfono, o imprima desde otra computadora con `checkin tickets`."
        ),
        "Sent {pages} page(s) to {printer}": "Se enviaron {pages} página(s) a {printer}",
        "The printer could not start": "La impresora no pudo iniciar",
        "Press any key to close": "Pulse cualquier tecla para cerrar",
        "Code shown full screen": "Código en pantalla completa",
        "Scan or pick a person first": "Primero escanee o elija a una persona",
        "Print tickets": "Imprimir boletos",
        "&Print tickets (Ctrl+P)": "&Imprimir boletos (Ctrl+P)",
        "Print all tickets of this person": "Imprimir todos los boletos de esta persona",
        "Show &code full screen": "Código en pantalla &completa",
        "Show this person's code full screen": (
            "Mostrar el código de esta persona en pantalla completa"
        ),
        "Paper": "Papel",
        "Household: {a} adults, {k} kids, {s} seniors, ZIP {z}": (
            "Hogar: {a} adultos, {k} niños, {s} mayores, código postal {z}"
        ),
        "Tickets: {n} {type}": "Boletos: {n} {type}",
        "Nothing to save yet.": "Todavía no hay nada que guardar.",
        "Locked: the organiser passphrase is needed.": (
            "Bloqueado: se necesita la contraseña del organizador."
        ),
        "Not saved: {reason}": "No se guardó: {reason}",
        "Saved {h} households and {t} tallies, marked as from paper.": (
            "Se guardaron {h} hogares y {t} conteos, marcados como registrados en papel."
        ),
        "Save stock sheets": "Guardar hojas de boletos",
        "{n} {type} tickets ready to print: {path}": (
            "{n} boletos de {type} listos para imprimir: {path}"
        ),
        "Stock not made: {reason}": "No se crearon los boletos: {reason}",
        "When a laptop died and volunteers kept going on the paper kit's tally sheets, enter "
        "what they wrote here. It counts in the summary, marked as from paper.": (
            "Si una computadora falló y los voluntarios siguieron con las hojas de conteo del kit "
            "en papel, ingrese aquí lo que anotaron. Cuenta en el resumen, marcado como de papel."
        ),
        "Count": "Cantidad",
        "Add &household": "Agregar &hogar",
        "Add &tally": "Agregar &conteo",
        "&Save all": "&Guardar todo",
        "Entries not saved yet": "Entradas aún no guardadas",
        "Pre-printed stock:": "Boletos preimpresos:",
        "Save stock &sheets PDF…": "Guardar &hojas de boletos en PDF…",
        "Ticket type for the stock sheets": "Tipo de boleto para las hojas",
        "How many tickets": "Cuántos boletos",
        "Sheet layout": "Formato de la hoja",
        "Progress": "Progreso",
    }
)

# The logo picker in Setup.
SPANISH.update(
    {
        "Logo on tickets, badges and flyers": "Logotipo en boletos, gafetes y volantes",
        "Choose lo&go...": "Elegir lo&gotipo...",
        "Choose the event's logo": "Elegir el logotipo del evento",
        "Print &without a logo": "Imprimir s&in logotipo",
        "Remove the event's logo": "Quitar el logotipo del evento",
        "The event's logo": "El logotipo del evento",
        "No logo": "Sin logotipo",
        "Logo for tickets": "Logotipo para los boletos",
        "%1 is not an image this app can read: try a PNG or JPEG.": (
            "%1 no es una imagen que esta aplicación pueda leer: pruebe con un PNG o JPEG."
        ),
        "Logo saved: the next tickets print with it.": (
            "Logotipo guardado: los próximos boletos se imprimen con él."
        ),
        "Logo removed: tickets print without one.": (
            "Logotipo quitado: los boletos se imprimen sin él."
        ),
    }
)

# Undo's question and answers, and the end-of-shift summary's state names.
SPANISH.update(
    {
        "the check-in of {name}": "el registro de {name}",
        "the redemption of {type} ticket No. {serial}": (
            "el canje del boleto de {type} n.º {serial}"
        ),
        "the handing out of {type} ticket No. {serial}": (
            "la entrega del boleto de {type} n.º {serial}"
        ),
        "the redemption of a ticket": "el canje de un boleto",
        "the handing out of a ticket": "la entrega de un boleto",
        "the {count} {type} tickets issued": "los {count} boletos de {type} emitidos",
        "the flyer recorded ({campaign})": "el volante registrado ({campaign})",
        "Undo {what}?": "¿Deshacer {what}?",
        "Something else happened meanwhile: look again before undoing": (
            "Mientras tanto pasó otra cosa: revise antes de deshacer"
        ),
        "cancelled": "anulado",
        "used": "usado",
        "given out": "entregado",
        "not given out": "sin entregar",
        "Cannot undo {what}: the ticket is now {state}": (
            "No se puede deshacer {what}: el boleto ahora está {state}"
        ),
        "Undone: {what}": "Deshecho: {what}",
        "Checked in": "Registrados",
        "Already checked in": "Ya registrados",
        "Pre-printed tickets given out": "Boletos preimpresos entregados",
        "Pre-printed tickets scanned with nobody on screen": (
            "Boletos preimpresos escaneados sin nadie en pantalla"
        ),
        "Handed over": "Entregados",
        "Out of stock": "Sin existencias",
        "Cancelled tickets": "Boletos anulados",
        "Not in this event file": "No están en este archivo del evento",
        "From another event": "De otro evento",
        "Not genuine": "No auténticos",
        "Mistyped codes": "Códigos mal escritos",
        "Not a code": "No es un código",
        "Flyers recorded": "Volantes registrados",
        "Flyers scanned with nobody on screen": "Volantes escaneados sin nadie en pantalla",
        "Prizes handed over": "Premios entregados",
        "Prizes already handed over": "Premios ya entregados",
        "Not a winner": "No ganadores",
        "NOT saved": "NO guardados",
    }
)

# Paper layouts, as volunteers choose them.
SPANISH.update(
    {
        "Receipt roll, 80 mm": "Rollo de recibos, 80 mm",
        "Receipt roll, 58 mm": "Rollo de recibos, 58 mm",
        "Letter paper, one ticket a page": "Papel carta, un boleto por hoja",
        "A4 paper, one ticket a page": "Papel A4, un boleto por hoja",
        "Letter sheets, 30 tickets to cut": "Hojas carta, 30 boletos para recortar",
        "A4 sheets, 24 tickets to cut": "Hojas A4, 24 boletos para recortar",
        "Letter sheets, 8 badges": "Hojas carta, 8 gafetes",
        "Letter sheets, 4 flyers": "Hojas carta, 4 volantes",
    }
)

# Why something was not saved (ui/common/failure_texts.py).
SPANISH.update(
    {
        "Another program is holding the event file: try again in a moment": (
            "Otro programa está usando el archivo del evento: inténtelo de nuevo en un momento"
        ),
        "The disk is full: free some space, then try again": (
            "El disco está lleno: libere espacio y vuelva a intentarlo"
        ),
        "The event file is read-only: ask the organiser": (
            "El archivo del evento es de solo lectura: avise al organizador"
        ),
        "The event file is damaged: ask the organiser to restore the latest backup": (
            "El archivo del evento está dañado: pida al organizador que restaure la última copia"
        ),
        "The database cannot be reached: check the network cable, the Wi-Fi or the USB stick": (
            "No se puede conectar con la base de datos: revise el cable de red, el wifi o la"
            " memoria USB"
        ),
    }
)

# Why a code is not valid at this station (ui/desk/messages.py).
SPANISH.update(
    {
        "{type} ticket of {name}": "Boleto de {type} de {name}",
        "Ticket No. {serial} is theirs: use it at its own station": (
            "El boleto n.º {serial} es suyo: úselo en su propia estación"
        ),
        "Check-in happens at the desk": "El registro se hace en la mesa de entrada",
    }
)

# The ready banner at a resource station, where there are no walk-ups.
SPANISH.update({"Scan a ticket or a person's code": "Escanee un boleto o el código de una persona"})

# Issue 12, the window: first launch, the one organiser lock, the shift summary.
SPANISH.update(
    {
        "Raffle caller &PIN": "&PIN de quien sortea",
        "Raffle caller PIN": "PIN de quien sortea",
        "%1+ characters": "%1+ caracteres",
        "Set PIN": "Fijar PIN",
        "PIN set": "PIN fijado",
        "no PIN": "sin PIN",
        "At least %1 characters": "Al menos %1 caracteres",
        "Welcome to checkin": "Bienvenida a checkin",
        "Event: {event}. Before the first scan: who is at this table, and what is this station "
        "called? (Asked once on this laptop; change it later on the desk.)": (
            "Evento: {event}. Antes del primer escaneo: ¿quién atiende esta mesa y cómo se llama"
            " esta estación? (Se pregunta una vez en esta computadora; se cambia luego en la"
            " mesa.)"
        ),
        "Your &first name": "Su &nombre",
        "&Station name": "Nombre de la &estación",
        "e.g. Front table": "p. ej. Mesa de entrada",
        "Language": "Idioma",
        "Type your first name and the station's name.": (
            "Escriba su nombre y el nombre de la estación."
        ),
        "%1 is locked": "%1: bloqueado",
        "This screen is for organisers. Volunteers at the desk do not need it.": (
            "Esta pantalla es para organizadores. Quienes atienden la mesa no la necesitan."
        ),
        "Unlock this screen": "Desbloquear esta pantalla",
        "Drawing needs the &organiser passphrase or the raffle caller's PIN.": (
            "Para sortear hace falta la frase del &organizador o el PIN de quien sortea."
        ),
        "Change…": "Cambiar…",
        "Unlock the redraw wait (organiser or raffle caller)": (
            "Desbloquear la espera para volver a sortear (organizador o quien sortea)"
        ),
        "Locked: the organiser or the raffle caller draws": (
            "Bloqueado: sortea el organizador o quien tenga el PIN"
        ),
        "check-in": "registro",
        "redemption": "canje",
        "ticket handed out": "boleto entregado",
        "tickets issued": "boletos emitidos",
        "flyer recorded": "volante registrado",
        "Station {station}, volunteer {volunteer}, since {time}:": (
            "Estación {station}, voluntario/a {volunteer}, desde las {time}:"
        ),
        "Check-ins: {n}": "Registros: {n}",
        "Walk-ups registered: {n}": "Sin registro previo anotados: {n}",
        "Tickets redeemed: {n}": "Boletos canjeados: {n}",
        "Pre-printed tickets handed out: {n}": "Boletos preimpresos entregados: {n}",
        "Undos: {n}": "Deshechos: {n}",
        "Other scan answers:": "Otras respuestas a escaneos:",
        "No scans yet in this shift.": "Todavía no hay escaneos en este turno.",
        "Desk 1": "Mesa 1",
    }
)

# Issue 12: the legend (F1), a new event's template and checklist.
SPANISH.update(
    {
        "Ticket types: Setup > Ticket types (a raffle, meals, resources)": (
            "Tipos de boleto: Configuración > Tipos de boleto (rifa, comidas, recursos)"
        ),
        "An organiser passphrase: Setup > Event": (
            "Una frase de acceso del organizador: Configuración > Evento"
        ),
        "The raffle's prizes: Setup > Raffle": "Los premios de la rifa: Configuración > Rifa",
        "How many backpacks you have: Setup > Ticket types, Stock": (
            "Cuántas mochilas hay: Configuración > Tipos de boleto, Existencias"
        ),
        "A USB stick for the backups: the backup button in the status bar": (
            "Una memoria USB para las copias: el botón de copias en la barra de estado"
        ),
        "Before the first guest": "Antes del primer invitado",
        "The event is created. Still to do before the doors open:": (
            "El evento está creado. Falta antes de abrir las puertas:"
        ),
        "Ready: waiting for the next scan": "Lista: esperando el siguiente escaneo",
        "Done: checked in, ticket handed over or redeemed; hand over what it says": (
            "Hecho: registro, boleto entregado o canjeado; entregue lo que dice"
        ),
        "Look: already checked in, limit reached, scan the person first; nothing new was given": (
            "Atención: ya registrado, límite alcanzado, escanee primero a la persona; no se"
            " entregó nada nuevo"
        ),
        "Refused: not a valid code here, or NOT saved; read the banner": (
            "Rechazado: código no válido aquí, o NO guardado; lea el aviso"
        ),
        "A note about this person: read it before they go": (
            "Una nota sobre esta persona: léala antes de que se vaya"
        ),
        "no sound": "sin sonido",
        "rising chime": "campanilla ascendente",
        "double beep": "doble pitido",
        "low buzz": "zumbido grave",
        "three-note call": "llamada de tres notas",
        "Colours, sounds and shortcuts": "Colores, sonidos y atajos",
        "What the banner's colours and sounds mean": "Qué significan los colores y sonidos",
        "print the tickets of the person on screen": (
            "imprimir los boletos de la persona en pantalla"
        ),
        "Block party: Raffle, Meal, Backpack and Resource referral tickets": (
            "Fiesta de barrio: boletos de rifa, comida, mochila y derivación a recursos"
        ),
        "Empty: I set up the ticket types myself": "Vacío: configuro yo los tipos de boleto",
        "&Start from": "&Empezar con",
    }
)

# Issue 14: importing pre-registrations with a preview (ui/people/import_preview_dialog.py).
SPANISH.update(
    {
        "&Import…": "&Importar…",
        "Import pre-registrations from a CSV file": "Importar preinscripciones de un archivo CSV",
        "Pre-registration file": "Archivo de preinscripciones",
        "Import finished": "Importación terminada",
        "Spreadsheet exports (*.csv *.txt *.tsv);;All files (*)": (
            "Hojas de cálculo exportadas (*.csv *.txt *.tsv);;Todos los archivos (*)"
        ),
        "Full name (split)": "Nombre completo (se separa)",
        "Household size": "Tamaño del hogar",
        "Address (ZIP taken from it)": "Dirección (se toma el código postal)",
        "Consent to contact": "Permiso para contactar",
        "Language": "Idioma",
        "How they heard": "Cómo se enteró",
        "Notes": "Notas",
        "Reference (attendee, barcode)": "Referencia (asistente, código de barras)",
        "Order number": "Número de pedido",
        "Attendance status": "Estado de asistencia",
        "Import pre-registrations": "Importar preinscripciones",
        "Columns in the file": "Columnas del archivo",
        "Column": "Columna",
        "Imported as": "Se importa como",
        "First value": "Primer valor",
        "Which column fills which field": "Qué columna llena qué campo",
        "First rows, as they will be stored": "Primeras filas, tal como se guardarán",
        "Line": "Línea",
        "Consent": "Permiso",
        "Reference": "Referencia",
        "Rows not imported and why": "Filas no importadas y por qué",
        "Import progress": "Progreso de la importación",
        "&Import": "&Importar",
        "Import these rows": "Importar estas filas",
        "Cancel the import": "Cancelar la importación",
        "(not imported)": "(no se importa)",
        "Field for column %1": "Campo para la columna %1",
        "Reading the file…": "Leyendo el archivo…",
        "%1 (%2, separated by %3)": "%1 (%2, separado por %3)",
        "tab": "tabulador",
        "Nothing imported: %1": "No se importó nada: %1",
        "yes": "sí",
        "no": "no",
        "To import: %1": "Para importar: %1",
        "Duplicates skipped: %1": "Duplicados omitidos: %1",
        "Possible duplicates: %1": "Posibles duplicados: %1",
        "Rejected: %1": "Rechazadas: %1",
        "Skipped by status: %1": "Omitidas por estado: %1",
        "Line %1: rejected: %2": "Línea %1: rechazada: %2",
        "Duplicates skipped (already there or twice in the file), line numbers: %1": (
            "Duplicados omitidos (ya estaban o repetidos en el archivo), números de línea: %1"
        ),
        "Imported, but same name and ZIP as another household, line numbers: %1": (
            "Importadas, pero con el mismo nombre y código postal que otro hogar, "
            "números de línea: %1"
        ),
        "Line %1: skipped, status %2": "Línea %1: omitida, estado %2",
        "Importing…": "Importando…",
        "Note: %1": "Nota: %1",
        "Columns not imported: %1": "Columnas no importadas: %1",
        "%1 — rows: %2; line numbers: %3": "%1 — filas: %2; números de línea: %3",
        "Empty rows skipped": "Filas vacías omitidas",
        "First name on several lines joined into one": (
            "Nombre en varias líneas unido en una sola"
        ),
        "Last name on several lines joined into one": (
            "Apellido en varias líneas unido en una sola"
        ),
        "Name on several lines joined into one": "Nombre completo en varias líneas unido en una",
        "How they heard on several lines joined into one": (
            "Cómo se enteró, en varias líneas, unido en una sola"
        ),
        "Spreadsheet formula characters removed from the first name": (
            "Caracteres de fórmula de hoja de cálculo quitados del nombre"
        ),
        "Spreadsheet formula characters removed from the last name": (
            "Caracteres de fórmula de hoja de cálculo quitados del apellido"
        ),
        "Spreadsheet formula characters removed from the name": (
            "Caracteres de fórmula de hoja de cálculo quitados del nombre completo"
        ),
        "Spreadsheet formula characters removed from the notes": (
            "Caracteres de fórmula de hoja de cálculo quitados de las notas"
        ),
        "Spreadsheet formula characters removed from how they heard": (
            "Caracteres de fórmula de hoja de cálculo quitados de cómo se enteró"
        ),
        "Adults written in words, read as a number": (
            "Adultos escritos en palabras, leídos como número"
        ),
        "Kids written in words, read as a number": "Niños escritos en palabras, leídos como número",
        "Seniors written in words, read as a number": (
            "Mayores escritos en palabras, leídos como número"
        ),
        "Household size written in words, read as a number": (
            "Tamaño del hogar escrito en palabras, leído como número"
        ),
        "Only a suffix (Jr., Sr.) in the last name: surname taken from the first name": (
            "Solo un sufijo (Jr., Sr.) en el apellido: apellido tomado del nombre"
        ),
        "Household size and adults/kids/seniors disagree (the larger kept)": (
            "El tamaño del hogar no coincide con adultos/niños/mayores (se guarda el mayor)"
        ),
        "ZIP not understood, left blank": "Código postal no entendido, se deja en blanco",
        "ZIP read from the address": "Código postal tomado de la dirección",
        "Phone not kept: no consent": "Teléfono no guardado: sin permiso",
        "Email not kept: no consent": "Correo no guardado: sin permiso",
        "Phone not understood, left blank": "Teléfono no entendido, se deja en blanco",
        "Email not understood, left blank": "Correo no entendido, se deja en blanco",
        "Imported %1 households": "Se importaron %1 hogares",
        "Imported %1 households from %2": "Se importaron %1 hogares de %2",
    }
)

# Hosting an event on the network, joining it, working offline.
SPANISH.update(
    {
        # --- hosting an event, joining it, working offline ------------------------------------
        "Connected to the host": "Conectada al anfitrión",
        "Back online: {scans} offline scans sent to the host ({conflicts} to check)": (
            "De nuevo en línea: {scans} escaneos sin conexión enviados al anfitrión"
            " ({conflicts} por revisar)"
        ),
        "Working offline — scans are saved on this laptop": (
            "Trabajando sin conexión — los escaneos se guardan en esta computadora"
        ),
        "Hosting {file} — checkin": "Anfitrión de {file} — checkin",
        "Starting the server…": "Iniciando el servidor…",
        "QR of the join code": "QR del código para unirse",
        "Conflicts to check": "Conflictos por revisar",
        "&Stop hosting and save the event file": (
            "&Dejar de ser anfitrión y guardar el archivo del evento"
        ),
        "Join code for the stations:": "Código para unir las estaciones:",
        "Conflicts to check (from stations that were offline)": (
            "Conflictos por revisar (de estaciones que estuvieron sin conexión)"
        ),
        "Last seen": "Último contacto",
        "Network": "Red",
        "On a network without discovery, type: {code}": (
            "En una red sin descubrimiento, escriba: {code}"
        ),
        "Hosting “{event}”. On each station: Join an event on this network, then type or scan this"
        " code. Keep this laptop awake and plugged in.": (
            "Anfitrión de “{event}”. En cada estación: Unirse a un evento de esta red, y luego"
            " escriba o escanee este código. Mantenga esta computadora encendida y enchufada."
        ),
        "Host": "Anfitrión",
        "Hosting failed: {message}": "No se pudo ser anfitrión: {message}",
        "online": "en línea",
        "offline": "sin conexión",
        "None so far": "Ninguno por ahora",
        "Stopping: writing everything into the event file…": (
            "Deteniendo: guardando todo en el archivo del evento…"
        ),
        "Stopped: {count} scans saved to {file}": "Detenido: {count} escaneos guardados en {file}",
        "Stop hosting now and save the event file? Stations go offline.": (
            "¿Dejar de ser anfitrión y guardar el archivo del evento? Las estaciones quedarán sin"
            " conexión."
        ),
        "Join an event on this network": "Unirse a un evento de esta red",
        "Events hosted on this network:": "Eventos de esta red:",
        "Events hosted on this network": "Eventos de esta red",
        "&Look again": "&Buscar de nuevo",
        "Join code": "Código para unirse",
        "This station's name": "Nombre de esta estación",
        "Join &code (type it, or scan the host's QR)": (
            "&Código para unirse (escríbalo o escanee el QR del anfitrión)"
        ),
        "This &station's name": "Nombre de esta e&stación",
        "&Join": "&Unirse",
        "Looking for hosted events…": "Buscando eventos…",
        "Pick the event, then type or scan its join code.": (
            "Elija el evento y luego escriba o escanee su código para unirse."
        ),
        "No hosted event found yet. Is the host running, on the same Wi-Fi? You can also scan the"
        " QR on the host's screen.": (
            "Todavía no se encontró ningún evento. ¿Está el anfitrión en marcha, en la misma Wi-Fi?"
            " También puede escanear el QR de la pantalla del anfitrión."
        ),
        "A join code has 12 letters and digits, like ABCD-EFGH-JK12.": (
            "Un código para unirse tiene 12 letras y números, como ABCD-EFGH-JK12."
        ),
        "Joining… (copying the event to this laptop)": (
            "Uniéndose… (copiando el evento a esta computadora)"
        ),
        "&Host this event on the network…": "Ser &anfitrión de este evento en la red…",
        "Host this event": "Ser anfitrión de este evento",
        "Only an event file on this laptop can be hosted.": (
            "Solo se puede ser anfitrión de un archivo de evento de esta computadora."
        ),
        "&Join an event on this network…": "&Unirse a un evento de esta red…",
        "joined: {station}": "unida: {station}",
    }
)

# The person on screen, what to hand over, a scanner's double-trigger (issue 12).
SPANISH.update(
    {
        "The desk shows the person being served &for": (
            "La mesa muestra a la persona atendida &durante"
        ),
        " s": " s",
        "Seconds the person's card stays on screen": (
            "Segundos que la ficha de la persona queda en pantalla"
        ),
        "Saved": "Guardado",
        "Time left for the person on screen": "Tiempo que le queda a la persona en pantalla",
        "Clears in {n} s (Esc: now)": "Se borra en {n} s (Esc: ya)",
        "{type}: has {held} of {allowed}": "{type}: tiene {held} de {allowed}",
        "{type}: has all {held}": "{type}: tiene los {held}",
        "Same scan again: nothing more to hand over": (
            "Mismo escaneo otra vez: nada más que entregar"
        ),
        "{name} got all {n} {type} tickets at check-in. To hand out pre-printed ones too, raise"
        " Quantity for {type} in Setup → Ticket types and set At check-in below it": (
            "{name} recibió sus {n} boletos de {type} al registrarse. Para entregar también"
            " boletos preimpresos, suba la Cantidad de {type} en Configuración → Tipos de boleto"
            " y ponga Al registrarse por debajo de ella"
        ),
        "{name} already has all {n} {type} tickets. To give more, raise Quantity for {type} in"
        " Setup → Ticket types": (
            "{name} ya tiene sus {n} boletos de {type}. Para dar más, suba la Cantidad de {type}"
            " en Configuración → Tipos de boleto"
        ),
        "Nothing to hand over": "Nada que entregar",
        "1 {type} ticket": "1 boleto de {type}",
        "{n} {type} tickets": "{n} boletos de {type}",
        "Hand over: {items}": "Entregue: {items}",
    }
)

# F1: the volunteer guide (its text is checkin/paper/guide.py, chosen by this translation's code).
SPANISH.update(
    {
        "en": "es",
        "Help: volunteer guide and keyboard shortcuts": (
            "Ayuda: guía para voluntarios y atajos de teclado"
        ),
        "&Volunteer guide and shortcuts": "&Guía para voluntarios y atajos",
    }
)

SPANISH.update({"C&olours and sounds": "C&olores y sonidos"})

# Stock and resource stations (issue 20, problems 8 and 9): what is left, out of stock and since
# when, all used, entitled to more; settings named to the organiser only.
SPANISH.update(
    {
        "Out: {names}": "Agotado: {names}",
        "Out": "Agotado",
        "Out (since {time})": "Agotado (desde las {time})",
        "{name}: out since {time}": "{name}: agotado desde las {time}",
        "{name}: out": "{name}: agotado",
        "{name}: {left} of {stock} left": "{name}: quedan {left} de {stock}",
        "Stock: {types}": "Existencias: {types}",
        "{type}: {left} of {allowed} left": "{type}: quedan {left} de {allowed}",
        "{name} already has all {n} {type} tickets: keep this ticket for someone else. If they"
        " should get more, ask the organiser": (
            "{name} ya tiene sus {n} boletos de {type}: guarde este boleto para otra persona."
            " Si le corresponden más, pregunte al organizador"
        ),
        "{type} ticket No. {serial} was used at {when} at {where}: a ticket is good once,"
        " nothing to hand over": (
            "El boleto de {type} n.º {serial} se usó a las {when} en {where}: cada boleto vale"
            " una vez, nada que entregar"
        ),
        "{type} is out: none of {due} to hand over": (
            "{type} agotado: no se entrega ninguno de {due}"
        ),
        "Only {given} {type} left: hand over {given} of {due}; {type} is now out": (
            "Solo quedaba {given} de {type}: entregue {given} de {due}; {type} ya está agotado"
        ),
        "{name} · {left} of {allowed} left": "{name} · quedan {left} de {allowed}",
        "{left} of {allowed} left": "Quedan {left} de {allowed}",
        "the last at {when} at {where}": "el último a las {when} en {where}",
        "the last at {when}": "el último a las {when}",
        "All {used} {type} used": "{type}: los {used} ya se usaron",
        "{name}: nothing more to hand over": "{name}: nada más que entregar",
        "If that seems wrong, ask the organiser": "Si parece un error, pregunte al organizador",
        "To give more, raise Quantity for {type} in Setup → Ticket types": (
            "Para dar más, suba la Cantidad de {type} en Configuración → Tipos de boleto"
        ),
        "Entitled: scan a {type} ticket from the stack": (
            "Le corresponde: escanee un boleto de {type} de la pila"
        ),
        "{name} may have {left} more: the pre-printed ticket you scan now is theirs and handed"
        " over": (
            "A {name} le corresponden {left} más: el boleto preimpreso que escanee ahora es suyo"
            " y se entrega"
        ),
        "Not checked in yet": "Aún no se registró",
        "Send {name} to the check-in desk first, then scan their code here": (
            "Envíe a {name} primero a la mesa de registro y luego escanee su código aquí"
        ),
        "No {type} left. ": "No quedan existencias de {type}. ",
        "Nothing to hand over: tell the organiser": "Nada que entregar: avise al organizador",
        "If more arrived, raise Stock for {type} in Setup → Ticket types": (
            "Si llegaron más, suba las Existencias de {type} en Configuración → Tipos de boleto"
        ),
        "No {type} for this household": "Este hogar no recibe {type}",
        "{name}'s household gets no {type}. ": "El hogar de {name} no recibe {type}. ",
        "Check the household's size (adults, kids, seniors) and the rule for {type} in Setup": (
            "Revise el tamaño del hogar (adultos, niños, mayores) y la regla de {type} en"
            " Configuración"
        ),
        "{type} is not given out here": "{type} no se entrega aquí",
        "Send them to a station that gives out {type}, or ask the organiser": (
            "Envíelos a una estación que entregue {type}, o pregunte al organizador"
        ),
        "Send them to a station that gives out {type}, or add this station to the stations of"
        " {type} in Setup → Ticket types": (
            "Envíelos a una estación que entregue {type}, o agregue esta estación a las"
            " estaciones de {type} en Configuración → Tipos de boleto"
        ),
    }
)

# Stock and resource stations (issue 20): the end-of-shift summary's name for the new state.
SPANISH.update(
    {
        "Entitled, sent to the pre-printed stack or the desk": (
            "Con derecho, enviados a la pila de preimpresos o a la mesa"
        ),
    }
)

# Issue 20, problem 2: the big screen's commands need Ctrl or a held Space (a scanner's letters
# are never commands).
SPANISH.update(
    {
        "Hold Space or Ctrl+Space: draw  ·  Ctrl+W: witness number  ·  Ctrl+R: redraw"
        "  ·  Ctrl+M: next display  ·  Esc: leave": (
            "Mantenga Espacio o Ctrl+Espacio: sortear  ·  Ctrl+W: número del testigo  ·  "
            "Ctrl+R: volver a sortear  ·  Ctrl+M: siguiente pantalla  ·  Esc: salir"
        ),
        "Hold Space or Ctrl+Space: show the number": (
            "Mantenga Espacio o Ctrl+Espacio: mostrar el número"
        ),
        "Hold Space or Ctrl+Space: next prize  ·  Ctrl+R: redraw  ·  Ctrl+M: next display"
        "  ·  Esc: leave": (
            "Mantenga Espacio o Ctrl+Espacio: siguiente premio  ·  Ctrl+R: volver a sortear  ·  "
            "Ctrl+M: siguiente pantalla  ·  Esc: salir"
        ),
        "Hold Space or Ctrl+Space: check again  ·  Ctrl+R: redraw  ·  Ctrl+M: next display"
        "  ·  Esc: leave": (
            "Mantenga Espacio o Ctrl+Espacio: revisar de nuevo  ·  Ctrl+R: volver a sortear  ·  "
            "Ctrl+M: siguiente pantalla  ·  Esc: salir"
        ),
        "Hold Space to draw": "Mantenga Espacio para sortear",
    }
)

# Issue 20, problem 10: the prize table sends an unassigned stock ticket to the desk.
SPANISH.update({})

# Issue 20, problem 11: the desk prints only a person's unused tickets and names the rest.
SPANISH.update(
    {
        "%1 No. %2": "%1 n.º %2",
        "Not printed, used or cancelled: %1": "No se imprimieron (usados o cancelados): %1",
    }
)

# Issue 20, problem 12: the desk asks before giving a pre-printed ticket to a card left up.
SPANISH.update(
    {
        "Give {type} ticket No. {serial} to {name}?": (
            "¿Dar el boleto de {type} n.º {serial} a {name}?"
        ),
        "Enter = yes, Esc = new person": "Enter = sí, Esc = otra persona",
        "Pre-printed &tickets": "Boletos &preimpresos",
        "&Ask before giving one when the card has been up over {n} s": (
            "&Preguntar antes de darlo si la persona lleva más de {n} s en pantalla"
        ),
        "Al&ways ask before giving one": "Preguntar &siempre antes de darlo",
        "&Never ask: give it to the person on screen": (
            "&Nunca preguntar: darlo a la persona en pantalla"
        ),
        "Print the unused tickets of this person": (
            "Imprimir los boletos sin usar de esta persona"
        ),
    }
)

# Issue 20: a scan made while no desk is open waits for the desk (ui/core/scan_desks.py).
SPANISH.update(
    {
        "Scan kept: no desk is open yet. It is checked in as soon as the desk opens.": (
            "Escaneo guardado: todavía no hay una mesa abierta. Se registra la llegada en"
            " cuanto se abra la mesa."
        ),
    }
)

# Issue 25: imports take spreadsheets (sheets, the header found under titles, footers).
SPANISH.update(
    {
        "Spreadsheets and exports (*.csv *.txt *.tsv *.xlsx *.xlsm *.xls *.ods);;All files (*)": (
            "Hojas de cálculo y exportaciones (*.csv *.txt *.tsv *.xlsx *.xlsm *.xls *.ods);;"
            "Todos los archivos (*)"
        ),
        "&Sheet:": "&Hoja:",
        "Sheet of the workbook to import": "Hoja del libro que se importa",
        "%1 (%2)": "%1 (%2)",
        "Excel workbook": "Libro de Excel",
        "Excel 97 workbook": "Libro de Excel 97",
        "OpenDocument spreadsheet": "Hoja de cálculo OpenDocument",
        "Header found on line %1; the %2 lines above it are not imported": (
            "Encabezado hallado en la línea %1; las %2 líneas de encima no se importan"
        ),
        "Header found on line %1": "Encabezado hallado en la línea %1",
        "Footer lines (totals, “Generated by”) are not households": (
            "Las líneas de pie (totales, «Generado por») no son hogares"
        ),
    }
)

# Issue 25: household sizes in words.
SPANISH.update(
    {
        "Household size written in words, read as a number of people": (
            "Tamaño del hogar escrito con palabras, leído como número de personas"
        ),
        "Household size written in words (“2 adults 3 kids”), read with its breakdown": (
            "Tamaño del hogar escrito con palabras («2 adultos 3 niños»), leído con su desglose"
        ),
        "Household size “n/a”, read as not given": "Tamaño del hogar «n/a», leído como no dado",
        "Adults “n/a”, read as not given": "Adultos «n/a», leído como no dado",
        "Kids “n/a”, read as not given": "Niños «n/a», leído como no dado",
        "Seniors “n/a”, read as not given": "Mayores «n/a», leído como no dado",
        "Household size smaller than the kids and seniors beside it: "
        "read as the number of adults": (
            "Tamaño del hogar menor que los niños y mayores a su lado: "
            "leído como el número de adultos"
        ),
    }
)

# Issue 25: statuses (payment status, pending, rows crossed out in their notes).
SPANISH.update(
    {
        "Line %1: skipped, its note says: %2": "Línea %1: omitida, su nota dice: %2",
        "Pending payment (imported, counted as coming): %1": (
            "Pago pendiente (importadas, cuentan como que vienen): %1"
        ),
        "Pending payment: imported, counted as coming": (
            "Pago pendiente: importadas, cuentan como que vienen"
        ),
        "Payment status": "Estado del pago",
    }
)

# Issue 25: contact details belong to the person; household names.
SPANISH.update(
    {
        "Buyer's phone (their own row only)": "Teléfono del comprador (solo en su fila)",
        "Buyer's email (their own row only)": "Correo del comprador (solo en su fila)",
        "A household's name (“The Nguyen Family”) read as the surname": (
            "Nombre de un hogar («Familia Nguyen») leído como el apellido"
        ),
    }
)

# Issue 25: which rows are one household.
SPANISH.update(
    {
        "&Households:": "&Hogares:",
        "Which rows are one household": "Qué filas son un hogar",
        "A row per household": "Una fila por hogar",
        "The rows of one order are one household": "Las filas de un pedido son un hogar",
        "A row per person: one order's rows with the same surname or address": (
            "Una fila por persona: las filas de un pedido con el mismo apellido o dirección"
        ),
        "A row per sign-up slot: one person's rows": (
            "Una fila por turno de inscripción: las filas de una persona"
        ),
        "(guessed from the file)": "(deducido del archivo)",
        "Slot or ticket type (who the row counts)": "Turno o tipo de entrada (a quién cuenta)",
        "Rows joined into one household": "Filas unidas en un hogar",
    }
)

# Issue 20, looks and stale views: the card's note, the PIN dialog, Ctrl+Q, the walk-up...
SPANISH.update(
    {
        "Note about this person": "Nota sobre esta persona",
        "Handed over": "Entregado",
        "Take back: {items}.": "Recoja: {items}.",
        "Close the desk?": "¿Cerrar la mesa?",
        "While the desk is closed, this laptop takes no scans. Close it?": (
            "Mientras la mesa esté cerrada, esta computadora no recibe escaneos. ¿Cerrarla?"
        ),
        "Close the desk": "Cerrar la mesa",
        "Keep it open": "Dejarla abierta",
        "This event is already open in another window or program on this laptop. Both save to"
        " the same file and their counters agree, but scan at one of them only: close the"
        " other when you can.": (
            "Este evento ya está abierto en otra ventana o programa de esta computadora. Ambos"
            " guardan en el mismo archivo y sus contadores coinciden, pero escanee solo en uno:"
            " cierre el otro cuando pueda."
        ),
        # Qt's file dialog (ui/common/qt_words.py): qtbase_es leaves these two in English.
        "&Look in:": "&Buscar en:",
        # Why an import row was rejected (ui/people/import_reasons.py).
        "adults": "adultos",
        "kids": "niños",
        "seniors": "mayores",
        "household size": "tamaño del hogar",
        "{cells} cells but the header has {width} (a value containing '{sep}' without quotes?)": (
            "{cells} celdas pero el encabezado tiene {width} (¿un valor con '{sep}' sin comillas?)"
        ),
        "{what}: '{value}' is not a whole number": "{what}: '{value}' no es un número entero",
        "{what}: {n} is not between 0 and {most}": "{what}: {n} no está entre 0 y {most}",
        "{what}: not a whole number": "{what}: no es un número entero",
        "{what}: must be between 0 and {most}": "{what}: debe estar entre 0 y {most}",
        "reference: longer than {n} characters": "referencia: más de {n} caracteres",
        "no name or reference: nobody to look up at check-in": (
            "sin nombre ni referencia: no hay a quién buscar al registrar la entrada"
        ),
        "(phone and email are not kept without consent)": (
            "(el teléfono y el correo no se guardan sin consentimiento)"
        ),
        "A household needs at least one person": "Un hogar necesita al menos una persona",
        "ZIP: 3 to 10 letters and digits, at least one digit": (
            "Código postal: de 3 a 10 letras y dígitos, con al menos un dígito"
        ),
        "email: not an address": "correo: no es una dirección",
        "Files of &type:": "Archivos de &tipo:",
        # "Registrado" is signed up (pre-registered); arrived and checked in is "con entrada".
        "Households checked in": "Hogares con entrada",
        "Households checked in: {households} · people: {people}": (
            "Hogares con entrada: {households} · personas: {people}"
        ),
        "next / previous tab (Desk, Prize table, Setup...)": (
            "pestaña siguiente / anterior (Mesa, Mesa de premios, Configuración...)"
        ),
        "close the desk (asks first once guests are in)": (
            "cerrar la mesa (pregunta antes si ya hay invitados registrados)"
        ),
        "Wrong passphrase or PIN. Check it and Caps Lock, then try again.": (
            "Frase de acceso o PIN incorrectos. Revíselos y las mayúsculas (Bloq Mayús) e"
            " intente de nuevo."
        ),
        "Count at least one person: an adult, a kid or a senior.": (
            "Cuente al menos a una persona: un adulto, un niño o un mayor."
        ),
        "Winner: prize handed over": "Ganador: premio entregado",
    }
)

# Issue 23: passphrase strength and the wait after wrong tries.
SPANISH.update(
    {
        "The passphrase needs at least 8 characters (or 4 words).": (
            "La frase de acceso necesita al menos 8 caracteres (o 4 palabras)."
        ),
        "Too many wrong tries. Wait %n second(s), then try again.": (
            "Demasiados intentos fallidos. Espere %n segundo y vuelva a intentarlo.",
            "Demasiados intentos fallidos. Espere %n segundos y vuelva a intentarlo.",
        ),
    }
)

# Issue 23: a fault is never acknowledged (I/O errors, a file copied over the event file).
SPANISH.update(
    {
        "The disk or USB stick failed to read or write: ask the organiser to check the drive": (
            "El disco o la memoria USB falló al leer o escribir: pida al organizador que revise"
            " la unidad"
        ),
        "Another file was copied over the event file: ask the organiser. Scans are kept"
        " beside it": (
            "Se copió otro archivo encima del archivo del evento: avise al organizador. Los"
            " escaneos se guardan a su lado"
        ),
    }
)

# Hosting's lifecycle (issue 21): the end of hosting on a station, Stop hosting's question,
# scans that never reached the host, the volunteer on joining.
SPANISH.update(
    {
        "Hosting ended: working on this laptop's copy": (
            "El anfitrión se detuvo: trabajando con la copia de esta computadora"
        ),
        "The host stopped hosting. Scans are saved on this laptop and sent by themselves when"
        " the host hosts this event again.": (
            "El anfitrión se detuvo. Los escaneos se guardan en esta computadora y se envían"
            " solos cuando vuelva a haber un anfitrión de este evento."
        ),
        "Stations online: {online}. Offline, maybe holding scans not sent yet: {offline}.\n\n"
        "Stop hosting now and save the event file? The stations go on working on their own"
        " copies and send their scans by themselves when you host this event again.": (
            "Estaciones conectadas: {online}. Sin conexión, quizá con escaneos aún no"
            " enviados: {offline}.\n\n¿Dejar de ser anfitrión ahora y guardar el archivo del"
            " evento? Las estaciones siguen trabajando con sus propias copias y envían sus"
            " escaneos solas cuando vuelva a ser anfitrión de este evento."
        ),
        "{station}: {count} scans, in {file}": "{station}: {count} escaneos, en {file}",
        "Host with a ne&w join code…": "Ser anfitrión con un código nue&vo…",
        "Host with a new join code? The old code stops working: every station joins again"
        " with the new one. Use this when the code was seen by people it was not meant for.": (
            "¿Ser anfitrión con un código nuevo para unirse? El código anterior deja de"
            " funcionar: cada estación se une de nuevo con el nuevo. Úselo cuando personas a"
            " las que no iba dirigido vieron el código."
        ),
        "Scans made at this laptop while the host was away have not reached the event yet:"
        "\n\n{lines}\n\nJoin the event again when it is hosted: they are sent by themselves"
        " (or the organiser merges the file).": (
            "Los escaneos hechos en esta computadora mientras el anfitrión no estaba aún no"
            " llegaron al evento:\n\n{lines}\n\nÚnase de nuevo cuando haya un anfitrión del evento:"
            " se envían solos (o el organizador combina el archivo)."
        ),
    }
)

# Privacy at the desk (issue 24, item 6): a volunteer's search needs a few letters.
SPANISH.update(
    {
        "Search hint": "Ayuda de la búsqueda",
        "Type the person's first and last name: to protect people's privacy, this desk lists"
        " nobody by part of a name": (
            "Escriba el nombre y el apellido de la persona: para proteger la privacidad, esta"
            " mesa no muestra a nadie por una parte del nombre"
        ),
        "Type at least %n letters: to protect people's privacy, this desk lists nobody by fewer": (
            "Escriba al menos %n letra: para proteger la privacidad, esta mesa no muestra a"
            " nadie con menos",
            "Escriba al menos %n letras: para proteger la privacidad, esta mesa no muestra a"
            " nadie con menos",
        ),
        "Showing the first %n: type more of the name to find the person": (
            "Se muestra solo %n: escriba más del nombre para encontrar a la persona",
            "Se muestran las primeras %n: escriba más del nombre para encontrar a la persona",
        ),
        "A &volunteer's desk searches after": "La mesa de un &voluntario busca a partir de",
        "the full name only": "solo el nombre completo",
        "%n letters": ("%n letra", "%n letras"),
        "Letters a volunteer types before the desk lists anyone (at most 10)": (
            "Letras que escribe un voluntario antes de que la mesa muestre a alguien (10 como"
            " máximo)"
        ),
    }
)

# A code of this event registered at another station (issue 24, item 7).
SPANISH.update(
    {
        "Registered at another station: checked in here": (
            "Inscrito en otra estación: registrado aquí"
        ),
        "tickets for one person: the household's size is on the other laptop": (
            "boletos para una persona: el tamaño del hogar está en la otra computadora"
        ),
        "Registered at another station": "Inscrito en otra estación",
        "  registered at another station: %1": "  inscrito en otra estación: %1",
    }
)

# Retention: personal data deleted N days after the event (issue 24, item 5).
SPANISH.update(
    {
        " days after the event": " días después del evento",
        "Personal data &kept for": "Datos personales &conservados",
        "On that day the app asks to delete names, phones and emails, with the backups and"
        " copies it made; the counts and the report stay.": (
            "Ese día la aplicación pide borrar nombres, teléfonos y correos, con las copias de"
            " seguridad y las copias que hizo; los conteos y el informe se quedan."
        ),
        "Days after the event when personal data is deleted": (
            "Días después del evento en que se borran los datos personales"
        ),
        "Personal data was deleted.": "Los datos personales se borraron.",
        "on %1, with its backups and copies": "el %1, con sus copias de seguridad y copias",
        "Personal data deleted": "Datos personales borrados",
        "Personal data deleted on %1": "Los datos personales se borran el %1",
        "Delete personal data": "Borrar datos personales",
        "The day to delete the personal data of %3 has come (%1, %2 days after the event).": (
            "Llegó el día de borrar los datos personales de %3 (%1, %2 días después del evento)."
        ),
        "Delete now removes the names, phone numbers, emails and notes of %1 households from"
        " the event file, and %2 files with them (backups, station copies, exports, copies kept"
        " before a restore or hosting), the hosting server's data and log lines with names."
        " The counts, zip codes, check-ins, tickets and the report stay. This cannot be"
        " undone.": (
            "Borrar ahora quita los nombres, teléfonos, correos y notas de %1 hogares del"
            " archivo del evento, y %2 archivos que los contienen (copias de seguridad, copias"
            " de estación, exportaciones, copias guardadas antes de restaurar o de ser"
            " anfitrión), los datos del servidor del anfitrión y las líneas del registro con"
            " nombres. Los conteos, códigos postales, registros de llegada, boletos y el"
            " informe se quedan. No se puede deshacer."
        ),
        "Delete now": "Borrar ahora",
        "Not now": "Ahora no",
        "Personal data deleted, but some files could not be removed: see below.": (
            "Datos personales borrados, pero algunos archivos no se pudieron quitar: vea abajo."
        ),
        "Personal data deleted. What was removed is listed below.": (
            "Datos personales borrados. Lo que se quitó aparece abajo."
        ),
        "The day to delete personal data has come for these copies of an event:": (
            "Llegó el día de borrar los datos personales de estas copias de un evento:"
        ),
    }
)

# Retention: a host that does not resume server data older than a purge (issue 24, item 5).
SPANISH.update(
    {
        "The server's data from before the event file's personal data was purged was removed:"
        " hosting started from the file.": (
            "Se quitaron los datos del servidor de antes de que se borraran los datos personales"
            " del archivo del evento: el anfitrión empezó desde el archivo."
        ),
    }
)

# Retention: the Export page's purge removes the copies too (issue 24, item 5).
SPANISH.update(
    {
        "With it go {files} files the app made with their names (backups, station copies,"
        " exports, copies kept before a restore or hosting), the hosting server's data and log"
        " lines with names.": (
            "Con ellos se van {files} archivos con sus nombres que hizo la aplicación (copias de"
            " seguridad, copias de estación, exportaciones, copias guardadas antes de restaurar"
            " o de ser anfitrión), los datos del servidor del anfitrión y las líneas del"
            " registro con nombres."
        ),
    }
)

# Deleting personal data at launch needs the organiser passphrase
SPANISH.update(
    {
        "The organiser's passphrase, to delete now:": (
            "La contraseña del organizador, para borrar ahora:"
        ),
        "Too many wrong tries: wait %1 s and launch again. Nothing was deleted.": (
            "Demasiados intentos fallidos: espere %1 s y vuelva a abrir. No se borró nada."
        ),
        "Wrong passphrase: nothing was deleted. It will be asked at the next launch.": (
            "Contraseña incorrecta: no se borró nada. "
            "Se volverá a preguntar al abrir la próxima vez."
        ),
    }
)

# Issue 23 follow-up: the passphrase is checked off the GUI thread and says so meanwhile.
SPANISH.update(
    {
        "Checking…": "Comprobando…",
        # A -wal that was not the event file's own (checkin/store/wal_owner.py).
        "Restored %1.": "Se restauró %1.",
        "A log file that did not belong to the event file was moved aside: %1.": (
            "Un archivo de registro que no pertenecía al archivo del evento se apartó: %1."
        ),
        "A log file beside the event file belonged to another file (the event file was"
        " replaced or copied over): it was not applied, and is kept as %1. The event file"
        " opened as it is.": (
            "Un archivo de registro junto al archivo del evento pertenecía a otro archivo (el"
            " archivo del evento fue reemplazado o copiado encima): no se aplicó y se guarda"
            " como %1. El archivo del evento se abrió tal como está."
        ),
    }
)

# Void and replace tickets, void a stock sheet, withdraw contact consent (issue 24, branch care)
SPANISH.update(
    {
        "&Withdraw contact consent…": "Retirar el permiso de c&ontacto…",
        "Withdraw contact consent…": "Retirar el permiso de contacto…",
        "Remove the phone and email of the selected household for good": (
            "Borrar para siempre el teléfono y el correo del hogar seleccionado"
        ),
        "Withdraw contact consent": "Retirar el permiso de contacto",
        "Withdraw the contact consent of {name}?\n\nTheir phone and email are removed now, from"
        " every later export and report, and a merge or an import never brings them back. This"
        " cannot be undone.": (
            "¿Retirar el permiso de contacto de {name}?\n\nSu teléfono y su correo se borran"
            " ahora, de toda exportación e informe posterior, y ni una combinación ni una"
            " importación los traen de vuelta. No se puede deshacer."
        ),
        "Nothing was changed: {reason}": "No se cambió nada: {reason}",
        "Guest #{number} withdrew contact consent before: nothing to remove.": (
            "El invitado n.º {number} ya había retirado el permiso de contacto: nada que borrar."
        ),
        "Guest #{number}: contact consent withdrawn; the phone and email are removed.": (
            "Invitado n.º {number}: permiso de contacto retirado; el teléfono y el correo se"
            " borraron."
        ),
        "&Void a ticket…": "&Anular un boleto…",
        "Void a stock s&heet…": "Anular una &hoja de boletos…",
        "lost": "perdido",
        "stolen": "robado",
        "damaged": "dañado",
        "Voided ticket ({reason}, {when})": "Boleto anulado ({reason}, {when})",
        "{type} ticket No. {serial}: do not hand anything over": (
            "Boleto de {type} n.º {serial}: no entregue nada"
        ),
        "the void of stock sheet {sheet}": "la anulación de la hoja de boletos {sheet}",
        "the void of {count} ticket(s) and their replacements": (
            "la anulación de {count} boleto(s) y sus reemplazos"
        ),
        "the void of {count} ticket(s)": "la anulación de {count} boleto(s)",
        "Void tickets": "Anular boletos",
        "Ticket &code:": "&Código del boleto:",
        "Scan the ticket, or type its code": "Escanee el boleto o escriba su código",
        "Code of the ticket to void": "Código del boleto que se anula",
        "&Add": "&Agregar",
        "Tickets to void": "Boletos que se anulan",
        "&Reason:": "&Motivo:",
        "Lost": "Perdido",
        "Stolen": "Robado",
        "Damaged": "Dañado",
        "&Issue a replacement (printed at once)": "&Emitir un reemplazo (se imprime enseguida)",
        "&Void these tickets": "A&nular estos boletos",
        "A pre-printed stock sheet went missing": "Se perdió una hoja de boletos preimpresos",
        "&Sheet number:": "Número de &hoja:",
        "Void &this sheet": "Anular es&ta hoja",
        "Not a ticket of this event: {code}": "No es un boleto de este evento: {code}",
        "void already": "ya anulado",
        "{type} No. {serial} ({state})": "{type} n.º {serial} ({state})",
        "Scan or type the code of a ticket first.": (
            "Primero escanee o escriba el código de un boleto."
        ),
        "Nothing was voided: {reason}": "No se anuló nada: {reason}",
        "Voided: %n ticket(s).": ("Anulado: %n boleto.", "Anulados: %n boletos."),
        "Sheet {sheet}: %n ticket(s) voided.": (
            "Hoja {sheet}: %n boleto anulado.",
            "Hoja {sheet}: %n boletos anulados.",
        ),
        "Left as they are (used or given out): {tickets}": (
            "Se dejan como están (usados o entregados): {tickets}"
        ),
        "Replacements: {tickets}": "Reemplazos: {tickets}",
        "%n household(s) withdrew their contact consent: their phone and email are in no file.": (
            "%n hogar retiró su permiso de contacto: su teléfono y su correo no están en ningún"
            " archivo.",
            "%n hogares retiraron su permiso de contacto: su teléfono y su correo no están en"
            " ningún archivo.",
        ),
    }
)


# Issue 24, items 1 and 3: the person window and attention notes everywhere.
SPANISH.update(
    {
        "Attention notes at the des&k": "Notas de atención en &la mesa",
        "every volunteer reads them": "todos los voluntarios las leen",
        "volunteers see \u201cask the organiser\u201d": (
            "los voluntarios ven \u201cpregunte al organizador\u201d"
        ),
        "Who reads attention notes at the desk": "Quién lee las notas de atención en la mesa",
        "Person (F4)": "Persona (F4)",
        "Open the person window: details, tickets, history, attention note": (
            "Abrir la ventana de la persona: datos, boletos, historial, nota de atención"
        ),
        "Needs attention (the desk's note)": "Necesita atención (la nota de la mesa)",
        "Needs attention: ask the organiser": "Necesita atención: pregunte al organizador",
        "Needs attention": "Necesita atención",
        "Person": "Persona",
        "Needs &attention": "Nece&sita atención",
        "Attention &note": "&Lo que necesita",
        "A&dults": "A&dultos",
        "S&eniors": "&Mayores",
        "&ZIP": "Código &postal",
        "N&otes": "N&otas",
        "Agreed to be &contacted": "Aceptó ser &contactado",
        "E&mail": "Corr&eo",
        "e.g. uses a wheelchair": "p. ej., usa silla de ruedas",
        "Agreed to be contacted": "Aceptó ser contactado",
        "Codes and &tickets": "Códigos y &boletos",
        "&History": "&Historial",
        "Code": "Código",
        "Type": "Tipo",
        "No.": "N.º",
        "When": "Cuándo",
        "By": "Por",
        "What": "Qué",
        "Locked: only the attention note can be set. Unlock organiser screens to see and"
        " correct everything else.": (
            "Bloqueado: solo se puede poner la nota de atención. Desbloquee las pantallas del"
            " organizador para ver y corregir todo lo demás."
        ),
        "&Unlock to edit everything…": "Desblo&quear para editar todo…",
        "Preferred lan&guage": "Idioma pre&ferido",
        "&Save": "&Guardar",
        "Nobody has this code any more": "Ya nadie tiene este código",
        "{name}  ·  #{number}  ·  {code}": "{name}  ·  n.º {number}  ·  {code}",
        "not handed out": "no entregado",
        "void": "anulado",
        "Check-in code": "Código de registro",
        " (undone)": " (deshecho)",
        "Nothing changed": "Nada cambió",
        "Saved.": "Guardado.",
        "{type} tickets due: {before} → {after}": (
            "Boletos de {type} que le tocan: {before} → {after}"
        ),
        " ({held} already handed over stay with the household)": (
            " ({held} ya entregados se quedan con el hogar)"
        ),
        "the edit of {name}": "la edición de {name}",
        "Needs attention (optional)": "Necesita atención (opcional)",
        "Needs a&ttention": "Necesita a&tención",
        "registered": "registrado",
        "registered (import)": "registrado (importación)",
        "edited": "editado",
        "checked in": "registró llegada",
        "tickets issued": "boletos emitidos",
        "ticket redeemed": "boleto canjeado",
        "ticket handed out": "boleto entregado",
        "ticket voided": "boleto anulado",
        "flyer recorded": "volante registrado",
        "prize claimed": "premio reclamado",
        "undone": "deshecho",
    }
)


# The status bar's retention day: to come, due (not deleted yet), deleted
SPANISH.update(
    {
        "Personal data to be deleted on %1": "Los datos personales se borrarán el %1",
        "Personal data due for deletion since %1": (
            "Los datos personales debían borrarse desde el %1"
        ),
    }
)


# Voiding a whole stock sheet asks first
SPANISH.update(
    {
        "Void a stock sheet": "Anular una hoja de existencias",
        "Void every ticket of stock sheet {sheet} that was not used yet ({reason})?\n\n"
        "Ctrl+Z at this desk puts them back.": (
            "¿Anular todos los boletos de la hoja {sheet} que aún no se usaron ({reason})?\n\n"
            "Ctrl+Z en este puesto los devuelve."
        ),
        "Nothing was voided.": "No se anuló nada.",
    }
)


# No printer at the table: a void's replacement shown full screen
SPANISH.update({"&Show the replacement on screen": "&Mostrar el reemplazo en pantalla"})


# The merge takes corrections made at a station
SPANISH.update(
    {"  %1 households corrected at the station": "  %1 hogares corregidos en la estación"}
)


# The person window repeats the desk's answer (it covers the banner)
SPANISH.update({"Answer at the desk": "Respuesta en la mesa"})

# Scan outcomes worded once (issue 22): the prize table's answers moved to ui/desk/messages.py,
# with named placeholders like the desk's
SPANISH.update(
    {
        "Sponsored by {sponsor}": "Patrocinado por {sponsor}",
        "Ticket No. {serial} of {name}": "Boleto n.º {serial} de {name}",
        "{prize} was already handed over for this ticket at {when}": (
            "{prize} ya se entregó por este boleto a las {when}"
        ),
        "This is a {type} ticket, not a raffle ticket": (
            "Este es un boleto de {type}, no un boleto de rifa"
        ),
        "Ticket No. {serial} won {prize}, but nobody came for it, so it was drawn again at"
        " {when}. Sorry!": (
            "El boleto n.º {serial} ganó {prize}, pero nadie vino a recogerlo, así que se volvió"
            " a sortear a las {when}. ¡Lo sentimos!"
        ),
        "Ticket No. {serial} was never given out at the check-in desk, so it cannot win."
        " Send them to the check-in desk first.": (
            "El boleto n.º {serial} nunca se entregó en la mesa de entrada, así que no puede"
            " ganar. Envíe a la persona primero a la mesa de entrada."
        ),
        "Ticket No. {serial} has not won (yet). Good luck!": (
            "El boleto n.º {serial} no ha ganado (todavía). ¡Buena suerte!"
        ),
    }
)


# The prize table's remaining texts with named placeholders, like its scan answers (issue 22)
SPANISH.update(
    {
        "Display {number}: {name} ({width}×{height})": (
            "Pantalla {number}: {name} ({width}×{height})"
        ),
        "Claimed {time}": "Entregado {time}",
        "Redrawn {time} (did not come)": "Sorteado de nuevo {time} (no se presentó)",
        "Redraw {prize} (ticket No. {serial})": "Volver a sortear {prize} (boleto n.º {serial})",
        "Nobody came for {prize} (ticket No. {serial}). Draw a new winner?": (
            "Nadie vino por {prize} (boleto n.º {serial}). ¿Sortear un nuevo ganador?"
        ),
        "New winner of {prize}: ticket No. {serial}. Call it out!": (
            "Nuevo ganador de {prize}: boleto n.º {serial}. ¡Anúncielo!"
        ),
    }
)


# Background work as typed operations: a failure nobody handled, an undo that failed
SPANISH.update(
    {
        "Could not finish": "No se pudo terminar",
        "Not undone: {reason}": "No se deshizo: {reason}",
    }
)


# The event file encrypted at rest (issue 26): the passphrase that opens it on a laptop not
# authorised, File > This laptop may open this event…, and exports being plain CSV
SPANISH.update(
    {
        "This laptop may open this &event…": "Esta computadora puede abrir este &evento…",
        "This event file is encrypted and this laptop is not authorised to open it."
        " Type the organiser passphrase to open it:": (
            "Este archivo del evento está cifrado y esta computadora no está autorizada para"
            " abrirlo. Escriba la frase de acceso del organizador para abrirlo:"
        ),
        "Wrong passphrase. Type the organiser passphrase to open it:": (
            "Frase de acceso incorrecta. Escriba la frase de acceso del organizador para abrirlo:"
        ),
        "From now on this laptop opens this event without the passphrase (for anyone using"
        " this account). Type the organiser passphrase to allow it:": (
            "De ahora en adelante esta computadora abre este evento sin la frase de acceso"
            " (para cualquiera que use esta cuenta). Escriba la frase de acceso del"
            " organizador para permitirlo:"
        ),
        "Wrong passphrase. Type the organiser passphrase to allow it:": (
            "Frase de acceso incorrecta. Escriba la frase de acceso del organizador"
            " para permitirlo:"
        ),
        "This laptop may now open this event without the passphrase.": (
            "Esta computadora ya puede abrir este evento sin la frase de acceso."
        ),
        "Exports are plain CSV files, not encrypted like the event file: anyone"
        " who gets them can read them. Keep them safe and delete them when done.": (
            "Las exportaciones son archivos CSV sin cifrar, no como el archivo del evento:"
            " cualquiera que los obtenga puede leerlos. Guárdelos en un lugar seguro y"
            " bórrelos al terminar."
        ),
    }
)
