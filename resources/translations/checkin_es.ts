<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
    <context>
        <name>ActivityPanel</name>
        <message>
            <source>Recent activity at this station</source>
            <translation>Actividad reciente en esta estación</translation>
        </message>
        <message>
            <source>Recent activity</source>
            <translation>Actividad reciente</translation>
        </message>
        <message>
            <source>&amp;Undo last action (Ctrl+Z)</source>
            <translation>&amp;Deshacer lo último (Ctrl+Z)</translation>
        </message>
        <message>
            <source>Undo last action</source>
            <translation>Deshacer la última acción</translation>
        </message>
        <message>
            <source>Nothing to undo at this station</source>
            <translation>No hay nada que deshacer en esta estación</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>Deshacer</translation>
        </message>
        <message>
            <source>Not undone: {reason}</source>
            <translation>No se deshizo: {reason}</translation>
        </message>
    </context>
    <context>
        <name>AttendeeTable</name>
        <message>
            <source>Filter by name, code, ZIP, phone or number</source>
            <translation>Filtrar por nombre, código, código postal, teléfono o número</translation>
        </message>
        <message>
            <source>Filter the attendee list</source>
            <translation>Filtrar la lista de asistentes</translation>
        </message>
        <message>
            <source>Everyone</source>
            <translation>Todos</translation>
        </message>
        <message>
            <source>Checked in</source>
            <translation>Registrados</translation>
        </message>
        <message>
            <source>Not yet arrived</source>
            <translation>Aún no llegan</translation>
        </message>
        <message>
            <source>Show everyone or only arrivals</source>
            <translation>Mostrar a todos o solo a quienes llegaron</translation>
        </message>
        <message>
            <source>Number of attendees shown</source>
            <translation>Número de asistentes mostrados</translation>
        </message>
        <message>
            <source>&amp;Import…</source>
            <translation>&amp;Importar…</translation>
        </message>
        <message>
            <source>Import pre-registrations from a CSV file</source>
            <translation>Importar preinscripciones de un archivo CSV</translation>
        </message>
        <message>
            <source>&amp;Withdraw contact consent…</source>
            <translation>Retirar el permiso de c&amp;ontacto…</translation>
        </message>
        <message>
            <source>Withdraw contact consent…</source>
            <translation>Retirar el permiso de contacto…</translation>
        </message>
        <message>
            <source>Remove the phone and email of the selected household for good</source>
            <translation>Borrar para siempre el teléfono y el correo del hogar seleccionado</translation>
        </message>
        <message>
            <source>The attendee list is locked. Unlock organiser screens to see it.</source>
            <translation>La lista de asistentes está bloqueada. Desbloquee las pantallas del organizador para verla.</translation>
        </message>
        <message>
            <source>Attendee list locked</source>
            <translation>Lista de asistentes bloqueada</translation>
        </message>
        <message>
            <source>All attendees</source>
            <translation>Todos los asistentes</translation>
        </message>
        <message>
            <source>Attendees: %1</source>
            <translation>Asistentes: %1</translation>
        </message>
        <message>
            <source>Withdraw contact consent</source>
            <translation>Retirar el permiso de contacto</translation>
        </message>
        <message>
            <source>Withdraw the contact consent of {name}?

Their phone and email are removed now, from every later export and report, and a merge or an import never brings them back. This cannot be undone.</source>
            <translation>¿Retirar el permiso de contacto de {name}?

Su teléfono y su correo se borran ahora, de toda exportación e informe posterior, y ni una combinación ni una importación los traen de vuelta. No se puede deshacer.</translation>
        </message>
        <message>
            <source>Nothing was changed: {reason}</source>
            <translation>No se cambió nada: {reason}</translation>
        </message>
        <message>
            <source>Guest #{number} withdrew contact consent before: nothing to remove.</source>
            <translation>El invitado n.º {number} ya había retirado el permiso de contacto: nada que borrar.</translation>
        </message>
        <message>
            <source>Guest #{number}: contact consent withdrawn; the phone and email are removed.</source>
            <translation>Invitado n.º {number}: permiso de contacto retirado; el teléfono y el correo se borraron.</translation>
        </message>
        <message>
            <source>Pre-registration file</source>
            <translation>Archivo de preinscripciones</translation>
        </message>
        <message>
            <source>Spreadsheets and exports (*.csv *.txt *.tsv *.xlsx *.xlsm *.xls *.ods);;All files (*)</source>
            <translation>Hojas de cálculo y exportaciones (*.csv *.txt *.tsv *.xlsx *.xlsm *.xls *.ods);;Todos los archivos (*)</translation>
        </message>
        <message>
            <source>Import finished</source>
            <translation>Importación terminada</translation>
        </message>
    </context>
    <context>
        <name>AttendeeTableModel</name>
        <message>
            <source>Number</source>
            <translation>Número</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <source>Household</source>
            <translation>Hogar</translation>
        </message>
        <message>
            <source>ZIP</source>
            <translation>Código postal</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Origen</translation>
        </message>
        <message>
            <source>Checked in</source>
            <translation>Registrados</translation>
        </message>
        <message>
            <source>Station</source>
            <translation>Estación</translation>
        </message>
        <message>
            <source>Guest #%1</source>
            <translation>Invitado n.º %1</translation>
        </message>
        <message>
            <source>Walk-up</source>
            <translation>Sin registro previo</translation>
        </message>
        <message>
            <source>Registered at another station</source>
            <translation>Inscrito en otra estación</translation>
        </message>
        <message>
            <source>Pre-registered</source>
            <translation>Con registro previo</translation>
        </message>
    </context>
    <context>
        <name>AttentionSetting</name>
        <message>
            <source>Attention notes at the des&amp;k</source>
            <translation>Notas de atención en &amp;la mesa</translation>
        </message>
        <message>
            <source>every volunteer reads them</source>
            <translation>todos los voluntarios las leen</translation>
        </message>
        <message>
            <source>volunteers see “ask the organiser”</source>
            <translation>los voluntarios ven “pregunte al organizador”</translation>
        </message>
        <message>
            <source>Who reads attention notes at the desk</source>
            <translation>Quién lee las notas de atención en la mesa</translation>
        </message>
        <message>
            <source>Saved</source>
            <translation>Guardado</translation>
        </message>
    </context>
    <context>
        <name>BackupStatus</name>
        <message>
            <source>Backup status</source>
            <translation>Estado de la copia de seguridad</translation>
        </message>
        <message>
            <source>Back up now</source>
            <translation>Hacer copia ahora</translation>
        </message>
        <message>
            <source>Choose the backup folder…</source>
            <translation>Elegir la carpeta de copias…</translation>
        </message>
        <message>
            <source>Restore from a backup…</source>
            <translation>Restaurar desde una copia…</translation>
        </message>
        <message>
            <source>No backup yet</source>
            <translation>Aún no hay copia</translation>
        </message>
        <message>
            <source>Backups go to %1</source>
            <translation>Las copias se guardan en %1</translation>
        </message>
        <message>
            <source>Backups: on the server</source>
            <translation>Copias: en el servidor</translation>
        </message>
        <message>
            <source>Last backup %1 ✓</source>
            <translation>Última copia %1 ✓</translation>
        </message>
        <message>
            <source> (last good backup %1)</source>
            <translation> (última copia correcta %1)</translation>
        </message>
        <message>
            <source>Backup failed%1: %2</source>
            <translation>La copia falló%1: %2</translation>
        </message>
        <message>
            <source>Backup folder (a USB stick)</source>
            <translation>Carpeta de copias (una memoria USB)</translation>
        </message>
    </context>
    <context>
        <name>BindQuestionMenu</name>
        <message>
            <source>Pre-printed &amp;tickets</source>
            <translation>Boletos &amp;preimpresos</translation>
        </message>
        <message>
            <source>&amp;Ask before giving one when the card has been up over {n} s</source>
            <translation>&amp;Preguntar antes de darlo si la persona lleva más de {n} s en pantalla</translation>
        </message>
        <message>
            <source>Al&amp;ways ask before giving one</source>
            <translation>Preguntar &amp;siempre antes de darlo</translation>
        </message>
        <message>
            <source>&amp;Never ask: give it to the person on screen</source>
            <translation>&amp;Nunca preguntar: darlo a la persona en pantalla</translation>
        </message>
    </context>
    <context>
        <name>CallerPinRow</name>
        <message>
            <source>Raffle caller &amp;PIN</source>
            <translation>&amp;PIN de quien sortea</translation>
        </message>
        <message>
            <source>Raffle caller PIN</source>
            <translation>PIN de quien sortea</translation>
        </message>
        <message>
            <source>%1+ characters</source>
            <translation>%1+ caracteres</translation>
        </message>
        <message>
            <source>Set PIN</source>
            <translation>Fijar PIN</translation>
        </message>
        <message>
            <source>PIN set</source>
            <translation>PIN fijado</translation>
        </message>
        <message>
            <source>no PIN</source>
            <translation>sin PIN</translation>
        </message>
        <message>
            <source>At least %1 characters</source>
            <translation>Al menos %1 caracteres</translation>
        </message>
    </context>
    <context>
        <name>CameraPanel</name>
        <message>
            <source>Camera</source>
            <translation>Cámara</translation>
        </message>
        <message>
            <source>Start camera</source>
            <translation>Encender la cámara</translation>
        </message>
        <message>
            <source>Start or stop the camera</source>
            <translation>Encender o apagar la cámara</translation>
        </message>
        <message>
            <source>No camera found. Plug in a webcam or use the scanner.</source>
            <translation>No se encontró ninguna cámara. Conecte una cámara web o use el escáner.</translation>
        </message>
        <message>
            <source>Stop camera</source>
            <translation>Apagar la cámara</translation>
        </message>
    </context>
    <context>
        <name>CardTimeSetting</name>
        <message>
            <source>The desk shows the person being served &amp;for</source>
            <translation>La mesa muestra a la persona atendida &amp;durante</translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>Seconds the person's card stays on screen</source>
            <translation>Segundos que la ficha de la persona queda en pantalla</translation>
        </message>
        <message>
            <source>Saved</source>
            <translation>Guardado</translation>
        </message>
    </context>
    <context>
        <name>CardTimer</name>
        <message>
            <source>Time left for the person on screen</source>
            <translation>Tiempo que le queda a la persona en pantalla</translation>
        </message>
        <message>
            <source>Clears in {n} s (Esc: now)</source>
            <translation>Se borra en {n} s (Esc: ya)</translation>
        </message>
    </context>
    <context>
        <name>ChecklistDialog</name>
        <message>
            <source>Ticket types: Setup &gt; Ticket types (a raffle, meals, resources)</source>
            <translation>Tipos de boleto: Configuración &gt; Tipos de boleto (rifa, comidas, recursos)</translation>
        </message>
        <message>
            <source>An organiser passphrase: Setup &gt; Event</source>
            <translation>Una frase de acceso del organizador: Configuración &gt; Evento</translation>
        </message>
        <message>
            <source>The raffle's prizes: Setup &gt; Raffle</source>
            <translation>Los premios de la rifa: Configuración &gt; Rifa</translation>
        </message>
        <message>
            <source>How many backpacks you have: Setup &gt; Ticket types, Stock</source>
            <translation>Cuántas mochilas hay: Configuración &gt; Tipos de boleto, Existencias</translation>
        </message>
        <message>
            <source>A USB stick for the backups: the backup button in the status bar</source>
            <translation>Una memoria USB para las copias: el botón de copias en la barra de estado</translation>
        </message>
        <message>
            <source>Before the first guest</source>
            <translation>Antes del primer invitado</translation>
        </message>
        <message>
            <source>The event is created. Still to do before the doors open:</source>
            <translation>El evento está creado. Falta antes de abrir las puertas:</translation>
        </message>
    </context>
    <context>
        <name>CodeScreen</name>
        <message>
            <source>Press any key to close</source>
            <translation>Pulse cualquier tecla para cerrar</translation>
        </message>
        <message>
            <source>Code shown full screen</source>
            <translation>Código en pantalla completa</translation>
        </message>
    </context>
    <context>
        <name>ConnectionStatus</name>
        <message>
            <source>Connection to the event database</source>
            <translation>Conexión con la base de datos del evento</translation>
        </message>
        <message>
            <source>Connected to the host</source>
            <translation>Conectada al anfitrión</translation>
        </message>
        <message>
            <source>Back online: {scans} offline scans sent to the host ({conflicts} to check)</source>
            <translation>De nuevo en línea: {scans} escaneos sin conexión enviados al anfitrión ({conflicts} por revisar)</translation>
        </message>
        <message>
            <source>Hosting ended: working on this laptop's copy</source>
            <translation>El anfitrión se detuvo: trabajando con la copia de esta computadora</translation>
        </message>
        <message>
            <source>The host stopped hosting. Scans are saved on this laptop and sent by themselves when the host hosts this event again.</source>
            <translation>El anfitrión se detuvo. Los escaneos se guardan en esta computadora y se envían solos cuando vuelva a haber un anfitrión de este evento.</translation>
        </message>
        <message>
            <source>Working offline — scans are saved on this laptop</source>
            <translation>Trabajando sin conexión — los escaneos se guardan en esta computadora</translation>
        </message>
        <message>
            <source>Server connected</source>
            <translation>Servidor conectado</translation>
        </message>
        <message>
            <source>Event file unreachable — scans are NOT being saved</source>
            <translation>No se puede acceder al archivo del evento: los escaneos NO se están guardando</translation>
        </message>
        <message>
            <source>Server unreachable — scans are NOT being saved</source>
            <translation>No se puede acceder al servidor: los escaneos NO se están guardando</translation>
        </message>
        <message>
            <source>Saving works again — scan again what was shown as NOT saved ({count})</source>
            <translation>El guardado funciona de nuevo: vuelva a escanear lo que salió como NO guardado ({count})</translation>
        </message>
        <message>
            <source>Connected again</source>
            <translation>Conectado de nuevo</translation>
        </message>
    </context>
    <context>
        <name>CountersPanel</name>
        <message>
            <source>Counters</source>
            <translation>Contadores</translation>
        </message>
        <message>
            <source>Households checked in: {households} · people: {people}</source>
            <translation>Hogares con entrada: {households} · personas: {people}</translation>
        </message>
        <message>
            <source>{name}: {issued} issued, {redeemed} redeemed</source>
            <translation>{name}: {issued} entregados, {redeemed} canjeados</translation>
        </message>
        <message>
            <source>, {left} left</source>
            <translation>, quedan {left}</translation>
        </message>
        <message>
            <source>Out: {names}</source>
            <translation>Agotado: {names}</translation>
        </message>
        <message>
            <source>Low stock: {names}</source>
            <translation>Quedan pocas existencias: {names}</translation>
        </message>
        <message>
            <source>Out</source>
            <translation>Agotado</translation>
        </message>
        <message>
            <source>Out (since {time})</source>
            <translation>Agotado (desde las {time})</translation>
        </message>
    </context>
    <context>
        <name>DashboardView</name>
        <message>
            <source>Dashboard</source>
            <translation>Panel</translation>
        </message>
        <message>
            <source>Last updated</source>
            <translation>Última actualización</translation>
        </message>
        <message>
            <source>Households checked in</source>
            <translation>Hogares con entrada</translation>
        </message>
        <message>
            <source>People</source>
            <translation>Personas</translation>
        </message>
        <message>
            <source>Adults · kids · seniors</source>
            <translation>Adultos · niños · mayores</translation>
        </message>
        <message>
            <source>Scans</source>
            <translation>Escaneos</translation>
        </message>
        <message>
            <source>Failed scans</source>
            <translation>Escaneos fallidos</translation>
        </message>
        <message>
            <source>Busiest 15 minutes</source>
            <translation>Los 15 minutos con más movimiento</translation>
        </message>
        <message>
            <source>Arrivals per 15 minutes</source>
            <translation>Llegadas cada 15 minutos</translation>
        </message>
        <message>
            <source>Arrivals per 15 minutes chart</source>
            <translation>Gráfica de llegadas cada 15 minutos</translation>
        </message>
        <message>
            <source>Tickets handed out and redeemed</source>
            <translation>Boletos entregados y canjeados</translation>
        </message>
        <message>
            <source>Tickets per type chart</source>
            <translation>Gráfica de boletos por tipo</translation>
        </message>
        <message>
            <source>Could not read the figures: {message}</source>
            <translation>No se pudieron leer las cifras: {message}</translation>
        </message>
        <message>
            <source>Scans ({repeats} repeats)</source>
            <translation>Escaneos ({repeats} repetidos)</translation>
        </message>
        <message>
            <source>Busiest 15 minutes ({n} households)</source>
            <translation>Los 15 minutos con más movimiento ({n} hogares)</translation>
        </message>
        <message>
            <source>Updated {time}</source>
            <translation>Actualizado {time}</translation>
        </message>
        <message>
            <source>{name}: out since {time}</source>
            <translation>{name}: agotado desde las {time}</translation>
        </message>
        <message>
            <source>{name}: out</source>
            <translation>{name}: agotado</translation>
        </message>
        <message>
            <source>{name}: {left} of {stock} left</source>
            <translation>{name}: quedan {left} de {stock}</translation>
        </message>
        <message>
            <source>Stock: {types}</source>
            <translation>Existencias: {types}</translation>
        </message>
        <message>
            <source>households</source>
            <translation>hogares</translation>
        </message>
        <message>
            <source>people</source>
            <translation>personas</translation>
        </message>
        <message>
            <source>handed out</source>
            <translation>entregados</translation>
        </message>
        <message>
            <source>redeemed</source>
            <translation>canjeados</translation>
        </message>
    </context>
    <context>
        <name>DeskPage</name>
        <message>
            <source>Give {type} ticket No. {serial} to {name}?</source>
            <translation>¿Dar el boleto de {type} n.º {serial} a {name}?</translation>
        </message>
        <message>
            <source>Enter = yes, Esc = new person</source>
            <translation>Enter = sí, Esc = otra persona</translation>
        </message>
        <message>
            <source>NOT saved: scan again</source>
            <translation>NO se guardó: escanee de nuevo</translation>
        </message>
        <message>
            <source>Scan or pick a person first</source>
            <translation>Primero escanee o elija a una persona</translation>
        </message>
        <message>
            <source>%1 No. %2</source>
            <translation>%1 n.º %2</translation>
        </message>
        <message>
            <source>Not printed, used or cancelled: %1</source>
            <translation>No se imprimieron (usados o cancelados): %1</translation>
        </message>
        <message>
            <source>Nothing to print</source>
            <translation>No hay nada que imprimir</translation>
        </message>
        <message>
            <source>Print tickets</source>
            <translation>Imprimir boletos</translation>
        </message>
        <message>
            <source>Check-in code of {name}</source>
            <translation>Código de registro de {name}</translation>
        </message>
        <message>
            <source>{type} ticket No. {serial}</source>
            <translation>Boleto de {type} n.º {serial}</translation>
        </message>
        <message>
            <source>Undone</source>
            <translation>Deshecho</translation>
        </message>
        <message>
            <source>&amp;Mode</source>
            <translation>&amp;Modo</translation>
        </message>
        <message>
            <source>S&amp;tation</source>
            <translation>Es&amp;tación</translation>
        </message>
        <message>
            <source>Volu&amp;nteer</source>
            <translation>V&amp;oluntario(a)</translation>
        </message>
        <message>
            <source>Station name</source>
            <translation>Nombre de la estación</translation>
        </message>
        <message>
            <source>Volunteer first name</source>
            <translation>Nombre del voluntario(a)</translation>
        </message>
        <message>
            <source>your first name</source>
            <translation>su nombre</translation>
        </message>
        <message>
            <source>Station mode</source>
            <translation>Modo de la estación</translation>
        </message>
        <message>
            <source>Ticket type this station gives out</source>
            <translation>Tipo de boleto que entrega esta estación</translation>
        </message>
        <message>
            <source>Walk-up (F2)</source>
            <translation>Sin registro previo (F2)</translation>
        </message>
        <message>
            <source>Register a walk-up</source>
            <translation>Registrar a alguien sin registro previo</translation>
        </message>
        <message>
            <source>&amp;Print tickets (Ctrl+P)</source>
            <translation>&amp;Imprimir boletos (Ctrl+P)</translation>
        </message>
        <message>
            <source>Print the unused tickets of this person</source>
            <translation>Imprimir los boletos sin usar de esta persona</translation>
        </message>
        <message>
            <source>Show &amp;code full screen</source>
            <translation>Código en pantalla &amp;completa</translation>
        </message>
        <message>
            <source>Show this person's code full screen</source>
            <translation>Mostrar el código de esta persona en pantalla completa</translation>
        </message>
        <message>
            <source>Person (F4)</source>
            <translation>Persona (F4)</translation>
        </message>
        <message>
            <source>Open the person window: details, tickets, history, attention note</source>
            <translation>Abrir la ventana de la persona: datos, boletos, historial, nota de atención</translation>
        </message>
        <message>
            <source>Check-in desk</source>
            <translation>Mesa de registro</translation>
        </message>
        <message>
            <source>Resource station</source>
            <translation>Estación de recursos</translation>
        </message>
    </context>
    <context>
        <name>DeskSearchSetting</name>
        <message>
            <source>A &amp;volunteer's desk searches after</source>
            <translation>La mesa de un &amp;voluntario busca a partir de</translation>
        </message>
        <message>
            <source>the full name only</source>
            <translation>solo el nombre completo</translation>
        </message>
        <message numerus="yes">
            <source>%n letters</source>
            <translation>
                <numerusform>%n letra</numerusform>
                <numerusform>%n letras</numerusform>
            </translation>
        </message>
        <message>
            <source>Letters a volunteer types before the desk lists anyone (at most 10)</source>
            <translation>Letras que escribe un voluntario antes de que la mesa muestre a alguien (10 como máximo)</translation>
        </message>
        <message>
            <source>Saved</source>
            <translation>Guardado</translation>
        </message>
    </context>
    <context>
        <name>EventDetailsForm</name>
        <message>
            <source>Event &amp;name</source>
            <translation>&amp;Nombre del evento</translation>
        </message>
        <message>
            <source>&amp;Date</source>
            <translation>&amp;Fecha</translation>
        </message>
        <message>
            <source>&amp;Location</source>
            <translation>&amp;Lugar</translation>
        </message>
        <message>
            <source>New &amp;organiser passphrase</source>
            <translation>Nueva frase de acceso del &amp;organizador</translation>
        </message>
        <message>
            <source>Re&amp;peat the passphrase</source>
            <translation>Re&amp;pita la frase de acceso</translation>
        </message>
        <message>
            <source>Event name</source>
            <translation>Nombre del evento</translation>
        </message>
        <message>
            <source>Has a date</source>
            <translation>Tiene fecha</translation>
        </message>
        <message>
            <source>The event has a date</source>
            <translation>El evento tiene fecha</translation>
        </message>
        <message>
            <source>Event date</source>
            <translation>Fecha del evento</translation>
        </message>
        <message>
            <source>Event location</source>
            <translation>Lugar del evento</translation>
        </message>
        <message>
            <source>Personal data &amp;kept for</source>
            <translation>Datos personales &amp;conservados</translation>
        </message>
        <message>
            <source> days after the event</source>
            <translation> días después del evento</translation>
        </message>
        <message>
            <source>Days after the event when personal data is deleted</source>
            <translation>Días después del evento en que se borran los datos personales</translation>
        </message>
        <message>
            <source>Save event details</source>
            <translation>Guardar los datos del evento</translation>
        </message>
        <message>
            <source>New organiser passphrase</source>
            <translation>Nueva frase de acceso del organizador</translation>
        </message>
        <message>
            <source>Repeat the new organiser passphrase</source>
            <translation>Repita la nueva frase de acceso del organizador</translation>
        </message>
        <message>
            <source>Change passphrase</source>
            <translation>Cambiar la frase de acceso</translation>
        </message>
        <message>
            <source>Change the organiser passphrase</source>
            <translation>Cambiar la frase de acceso del organizador</translation>
        </message>
        <message>
            <source>Event details status</source>
            <translation>Estado de los datos del evento</translation>
        </message>
        <message>
            <source>Personal data was deleted.</source>
            <translation>Los datos personales se borraron.</translation>
        </message>
        <message>
            <source>on %1, with its backups and copies</source>
            <translation>el %1, con sus copias de seguridad y copias</translation>
        </message>
        <message>
            <source>The event needs a name.</source>
            <translation>El evento necesita un nombre.</translation>
        </message>
        <message>
            <source>Event details saved.</source>
            <translation>Datos del evento guardados.</translation>
        </message>
        <message>
            <source>The passphrase needs at least %1 characters.</source>
            <translation>La frase de acceso necesita al menos %1 caracteres.</translation>
        </message>
        <message>
            <source>The two passphrases differ: type them again.</source>
            <translation>Las dos frases de acceso no coinciden: escríbalas de nuevo.</translation>
        </message>
        <message>
            <source>Organiser passphrase changed.</source>
            <translation>Se cambió la frase de acceso del organizador.</translation>
        </message>
    </context>
    <context>
        <name>ExportView</name>
        <message>
            <source>Export and report</source>
            <translation>Exportación e informe</translation>
        </message>
        <message>
            <source>Export folder</source>
            <translation>Carpeta de exportación</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>Elegir…</translation>
        </message>
        <message>
            <source>Choose the export folder</source>
            <translation>Elegir la carpeta de exportación</translation>
        </message>
        <message>
            <source>Anonymous: no names, phones, emails, notes or codes (safe to share)</source>
            <translation>Anónimo: sin nombres, teléfonos, correos, notas ni códigos (se puede compartir)</translation>
        </message>
        <message>
            <source>Anonymous export</source>
            <translation>Exportación anónima</translation>
        </message>
        <message>
            <source>Open the folder when done</source>
            <translation>Abrir la carpeta al terminar</translation>
        </message>
        <message>
            <source>Export CSV files</source>
            <translation>Exportar archivos CSV</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <source>Cancel the export</source>
            <translation>Cancelar la exportación</translation>
        </message>
        <message>
            <source>Export progress</source>
            <translation>Progreso de la exportación</translation>
        </message>
        <message>
            <source>Export status</source>
            <translation>Estado de la exportación</translation>
        </message>
        <message>
            <source>Save the report (PDF or HTML)…</source>
            <translation>Guardar el informe (PDF o HTML)…</translation>
        </message>
        <message>
            <source>Save the report</source>
            <translation>Guardar el informe</translation>
        </message>
        <message>
            <source>Type the confirmation to purge</source>
            <translation>Escriba la confirmación para borrar</translation>
        </message>
        <message>
            <source>Remove personal data</source>
            <translation>Borrar los datos personales</translation>
        </message>
        <message>
            <source>Folder:</source>
            <translation>Carpeta:</translation>
        </message>
        <message>
            <source>CSV files for partners and spreadsheets</source>
            <translation>Archivos CSV para socios y hojas de cálculo</translation>
        </message>
        <message>
            <source>Exports are plain CSV files, not encrypted like the event file: anyone who gets them can read them. Keep them safe and delete them when done.</source>
            <translation>Las exportaciones son archivos CSV sin cifrar, no como el archivo del evento: cualquiera que los obtenga puede leerlos. Guárdelos en un lugar seguro y bórrelos al terminar.</translation>
        </message>
        <message>
            <source>Report for the department</source>
            <translation>Informe para el departamento</translation>
        </message>
        <message>
            <source>One or two pages of figures and charts, no personal data.</source>
            <translation>Una o dos páginas de cifras y gráficas, sin datos personales.</translation>
        </message>
        <message>
            <source>After the event: remove personal data</source>
            <translation>Después del evento: borrar los datos personales</translation>
        </message>
        <message>
            <source>Still locked: nothing was exported.</source>
            <translation>Sigue bloqueado: no se exportó nada.</translation>
        </message>
        <message>
            <source>Choose a folder first.</source>
            <translation>Primero elija una carpeta.</translation>
        </message>
        <message>
            <source>Exporting…</source>
            <translation>Exportando…</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>Cancelando…</translation>
        </message>
        <message>
            <source>Export cancelled: the folder was left as it was.</source>
            <translation>Exportación cancelada: la carpeta quedó como estaba.</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>Exportar</translation>
        </message>
        <message>
            <source>{kind} saved in {folder}: {files}</source>
            <translation>{kind} guardado en {folder}: {files}</translation>
        </message>
        <message numerus="yes">
            <source>%n household(s) withdrew their contact consent: their phone and email are in no file.</source>
            <translation>
                <numerusform>%n hogar retiró su permiso de contacto: su teléfono y su correo no están en ningún archivo.</numerusform>
                <numerusform>%n hogares retiraron su permiso de contacto: su teléfono y su correo no están en ningún archivo.</numerusform>
            </translation>
        </message>
        <message>
            <source>PDF (*.pdf);;Web page (*.html)</source>
            <translation>PDF (*.pdf);;Página web (*.html)</translation>
        </message>
        <message>
            <source>Writing the report…</source>
            <translation>Escribiendo el informe…</translation>
        </message>
        <message>
            <source>Report saved: {path}</source>
            <translation>Informe guardado: {path}</translation>
        </message>
        <message>
            <source>Removes names, phones, emails, notes and external references of {n} attendees ({phones} phones, {emails} emails) and {scans} scanner inputs that are not codes. Counts, zip codes, tickets and the raffle stay, so the report stays the same. This cannot be undone. Type “{phrase}” to confirm.</source>
            <translation>Borra los nombres, teléfonos, correos, notas y referencias externas de {n} asistentes ({phones} teléfonos, {emails} correos) y {scans} lecturas del escáner que no son códigos. Los conteos, códigos postales, boletos y la rifa se quedan, así que el informe no cambia. Esto no se puede deshacer. Escriba “{phrase}” para confirmar.</translation>
        </message>
        <message>
            <source>Remove the personal data of {n} attendees for good?</source>
            <translation>¿Borrar para siempre los datos personales de {n} asistentes?</translation>
        </message>
        <message>
            <source>With it go {files} files the app made with their names (backups, station copies, exports, copies kept before a restore or hosting), the hosting server's data and log lines with names.</source>
            <translation>Con ellos se van {files} archivos con sus nombres que hizo la aplicación (copias de seguridad, copias de estación, exportaciones, copias guardadas antes de restaurar o de ser anfitrión), los datos del servidor del anfitrión y las líneas del registro con nombres.</translation>
        </message>
        <message>
            <source>Removing personal data…</source>
            <translation>Borrando los datos personales…</translation>
        </message>
        <message>
            <source>Failed: {message}</source>
            <translation>Falló: {message}</translation>
        </message>
    </context>
    <context>
        <name>Failures</name>
        <message>
            <source>Another program is holding the event file: try again in a moment</source>
            <translation>Otro programa está usando el archivo del evento: inténtelo de nuevo en un momento</translation>
        </message>
        <message>
            <source>The disk is full: free some space, then try again</source>
            <translation>El disco está lleno: libere espacio y vuelva a intentarlo</translation>
        </message>
        <message>
            <source>The event file is read-only: ask the organiser</source>
            <translation>El archivo del evento es de solo lectura: avise al organizador</translation>
        </message>
        <message>
            <source>The event file is damaged: ask the organiser to restore the latest backup</source>
            <translation>El archivo del evento está dañado: pida al organizador que restaure la última copia</translation>
        </message>
        <message>
            <source>The database cannot be reached: check the network cable, the Wi-Fi or the USB stick</source>
            <translation>No se puede conectar con la base de datos: revise el cable de red, el wifi o la memoria USB</translation>
        </message>
        <message>
            <source>The disk or USB stick failed to read or write: ask the organiser to check the drive</source>
            <translation>El disco o la memoria USB falló al leer o escribir: pida al organizador que revise la unidad</translation>
        </message>
        <message>
            <source>Another file was copied over the event file: ask the organiser. Scans are kept beside it</source>
            <translation>Se copió otro archivo encima del archivo del evento: avise al organizador. Los escaneos se guardan a su lado</translation>
        </message>
        <message>
            <source>The event file could not be written</source>
            <translation>No se pudo escribir en el archivo del evento</translation>
        </message>
        <message>
            <source>%1 is damaged (%2): it was not opened; restore your latest backup (none was found in the backup folder)</source>
            <translation>%1 está dañado (%2): no se abrió; restaure su última copia de seguridad (no se encontró ninguna en la carpeta de copias)</translation>
        </message>
        <message>
            <source>%1 is damaged (%2): it was not opened; restore the latest backup: %3</source>
            <translation>%1 está dañado (%2): no se abrió; restaure la última copia de seguridad: %3</translation>
        </message>
    </context>
    <context>
        <name>FirstLaunchDialog</name>
        <message>
            <source>Welcome to checkin</source>
            <translation>Bienvenida a checkin</translation>
        </message>
        <message>
            <source>Event: {event}. Before the first scan: who is at this table, and what is this station called? (Asked once on this laptop; change it later on the desk.)</source>
            <translation>Evento: {event}. Antes del primer escaneo: ¿quién atiende esta mesa y cómo se llama esta estación? (Se pregunta una vez en esta computadora; se cambia luego en la mesa.)</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Idioma</translation>
        </message>
        <message>
            <source>Your &amp;first name</source>
            <translation>Su &amp;nombre</translation>
        </message>
        <message>
            <source>&amp;Station name</source>
            <translation>Nombre de la &amp;estación</translation>
        </message>
        <message>
            <source>Volunteer first name</source>
            <translation>Nombre del voluntario(a)</translation>
        </message>
        <message>
            <source>Station name</source>
            <translation>Nombre de la estación</translation>
        </message>
        <message>
            <source>e.g. Front table</source>
            <translation>p. ej. Mesa de entrada</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Idioma</translation>
        </message>
        <message>
            <source>Type your first name and the station's name.</source>
            <translation>Escriba su nombre y el nombre de la estación.</translation>
        </message>
    </context>
    <context>
        <name>HelpDialog</name>
        <message>
            <source>en</source>
            <translation>es</translation>
        </message>
        <message>
            <source>Help: volunteer guide and keyboard shortcuts</source>
            <translation>Ayuda: guía para voluntarios y atajos de teclado</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Atajos de teclado</translation>
        </message>
    </context>
    <context>
        <name>HostWindow</name>
        <message>
            <source>Hosting {file} — checkin</source>
            <translation>Anfitrión de {file} — checkin</translation>
        </message>
        <message>
            <source>Starting the server…</source>
            <translation>Iniciando el servidor…</translation>
        </message>
        <message>
            <source>QR of the join code</source>
            <translation>QR del código para unirse</translation>
        </message>
        <message>
            <source>Stations</source>
            <translation>Estaciones</translation>
        </message>
        <message>
            <source>Conflicts to check</source>
            <translation>Conflictos por revisar</translation>
        </message>
        <message>
            <source>&amp;Stop hosting and save the event file</source>
            <translation>&amp;Dejar de ser anfitrión y guardar el archivo del evento</translation>
        </message>
        <message>
            <source>Join code for the stations:</source>
            <translation>Código para unir las estaciones:</translation>
        </message>
        <message>
            <source>Conflicts to check (from stations that were offline)</source>
            <translation>Conflictos por revisar (de estaciones que estuvieron sin conexión)</translation>
        </message>
        <message>
            <source>Station</source>
            <translation>Estación</translation>
        </message>
        <message>
            <source>Last seen</source>
            <translation>Último contacto</translation>
        </message>
        <message>
            <source>Scans</source>
            <translation>Escaneos</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>Red</translation>
        </message>
        <message>
            <source>On a network without discovery, type: {code}</source>
            <translation>En una red sin descubrimiento, escriba: {code}</translation>
        </message>
        <message>
            <source>Hosting “{event}”. On each station: Join an event on this network, then type or scan this code. Keep this laptop awake and plugged in.</source>
            <translation>Anfitrión de “{event}”. En cada estación: Unirse a un evento de esta red, y luego escriba o escanee este código. Mantenga esta computadora encendida y enchufada.</translation>
        </message>
        <message>
            <source>The server's data from before the event file's personal data was purged was removed: hosting started from the file.</source>
            <translation>Se quitaron los datos del servidor de antes de que se borraran los datos personales del archivo del evento: el anfitrión empezó desde el archivo.</translation>
        </message>
        <message>
            <source>Hosting failed: {message}</source>
            <translation>No se pudo ser anfitrión: {message}</translation>
        </message>
        <message>
            <source>online</source>
            <translation>en línea</translation>
        </message>
        <message>
            <source>offline</source>
            <translation>sin conexión</translation>
        </message>
        <message>
            <source>None so far</source>
            <translation>Ninguno por ahora</translation>
        </message>
        <message>
            <source>Stations online: {online}. Offline, maybe holding scans not sent yet: {offline}.

Stop hosting now and save the event file? The stations go on working on their own copies and send their scans by themselves when you host this event again.</source>
            <translation>Estaciones conectadas: {online}. Sin conexión, quizá con escaneos aún no enviados: {offline}.

¿Dejar de ser anfitrión ahora y guardar el archivo del evento? Las estaciones siguen trabajando con sus propias copias y envían sus escaneos solas cuando vuelva a ser anfitrión de este evento.</translation>
        </message>
        <message>
            <source>Stopping: writing everything into the event file…</source>
            <translation>Deteniendo: guardando todo en el archivo del evento…</translation>
        </message>
        <message>
            <source>Stopped: {count} scans saved to {file}</source>
            <translation>Detenido: {count} escaneos guardados en {file}</translation>
        </message>
        <message>
            <source>Hosting has stopped: this code no longer works.</source>
            <translation>El evento ya no se comparte en la red: este código ya no sirve.</translation>
        </message>
        <message>
            <source>Stop hosting now and save the event file? Stations go offline.</source>
            <translation>¿Dejar de ser anfitrión y guardar el archivo del evento? Las estaciones quedarán sin conexión.</translation>
        </message>
    </context>
    <context>
        <name>ImportPreviewDialog</name>
        <message>
            <source>First name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <source>Last name</source>
            <translation>Apellido</translation>
        </message>
        <message>
            <source>Full name (split)</source>
            <translation>Nombre completo (se separa)</translation>
        </message>
        <message>
            <source>Household size</source>
            <translation>Tamaño del hogar</translation>
        </message>
        <message>
            <source>Adults</source>
            <translation>Adultos</translation>
        </message>
        <message>
            <source>Kids</source>
            <translation>Niños</translation>
        </message>
        <message>
            <source>Seniors</source>
            <translation>Mayores</translation>
        </message>
        <message>
            <source>ZIP</source>
            <translation>Código postal</translation>
        </message>
        <message>
            <source>Address (ZIP taken from it)</source>
            <translation>Dirección (se toma el código postal)</translation>
        </message>
        <message>
            <source>Phone</source>
            <translation>Teléfono</translation>
        </message>
        <message>
            <source>Email</source>
            <translation>Correo electrónico</translation>
        </message>
        <message>
            <source>Consent to contact</source>
            <translation>Permiso para contactar</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Idioma</translation>
        </message>
        <message>
            <source>How they heard</source>
            <translation>Cómo se enteró</translation>
        </message>
        <message>
            <source>Notes</source>
            <translation>Notas</translation>
        </message>
        <message>
            <source>Needs attention (the desk's note)</source>
            <translation>Necesita atención (la nota de la mesa)</translation>
        </message>
        <message>
            <source>Reference (attendee, barcode)</source>
            <translation>Referencia (asistente, código de barras)</translation>
        </message>
        <message>
            <source>Order number</source>
            <translation>Número de pedido</translation>
        </message>
        <message>
            <source>Attendance status</source>
            <translation>Estado de asistencia</translation>
        </message>
        <message>
            <source>Payment status</source>
            <translation>Estado del pago</translation>
        </message>
        <message>
            <source>Buyer's phone (their own row only)</source>
            <translation>Teléfono del comprador (solo en su fila)</translation>
        </message>
        <message>
            <source>Buyer's email (their own row only)</source>
            <translation>Correo del comprador (solo en su fila)</translation>
        </message>
        <message>
            <source>Slot or ticket type (who the row counts)</source>
            <translation>Turno o tipo de entrada (a quién cuenta)</translation>
        </message>
        <message>
            <source>A row per household</source>
            <translation>Una fila por hogar</translation>
        </message>
        <message>
            <source>The rows of one order are one household</source>
            <translation>Las filas de un pedido son un hogar</translation>
        </message>
        <message>
            <source>A row per person: one order's rows with the same surname or address</source>
            <translation>Una fila por persona: las filas de un pedido con el mismo apellido o dirección</translation>
        </message>
        <message>
            <source>A row per sign-up slot: one person's rows</source>
            <translation>Una fila por turno de inscripción: las filas de una persona</translation>
        </message>
        <message>
            <source>Empty rows skipped</source>
            <translation>Filas vacías omitidas</translation>
        </message>
        <message>
            <source>Rows joined into one household</source>
            <translation>Filas unidas en un hogar</translation>
        </message>
        <message>
            <source>A household's name (“The Nguyen Family”) read as the surname</source>
            <translation>Nombre de un hogar («Familia Nguyen») leído como el apellido</translation>
        </message>
        <message>
            <source>Pending payment: imported, counted as coming</source>
            <translation>Pago pendiente: importadas, cuentan como que vienen</translation>
        </message>
        <message>
            <source>Footer lines (totals, “Generated by”) are not households</source>
            <translation>Las líneas de pie (totales, «Generado por») no son hogares</translation>
        </message>
        <message>
            <source>First name on several lines joined into one</source>
            <translation>Nombre en varias líneas unido en una sola</translation>
        </message>
        <message>
            <source>Last name on several lines joined into one</source>
            <translation>Apellido en varias líneas unido en una sola</translation>
        </message>
        <message>
            <source>Name on several lines joined into one</source>
            <translation>Nombre completo en varias líneas unido en una</translation>
        </message>
        <message>
            <source>How they heard on several lines joined into one</source>
            <translation>Cómo se enteró, en varias líneas, unido en una sola</translation>
        </message>
        <message>
            <source>Spreadsheet formula characters removed from the first name</source>
            <translation>Caracteres de fórmula de hoja de cálculo quitados del nombre</translation>
        </message>
        <message>
            <source>Spreadsheet formula characters removed from the last name</source>
            <translation>Caracteres de fórmula de hoja de cálculo quitados del apellido</translation>
        </message>
        <message>
            <source>Spreadsheet formula characters removed from the name</source>
            <translation>Caracteres de fórmula de hoja de cálculo quitados del nombre completo</translation>
        </message>
        <message>
            <source>Spreadsheet formula characters removed from the notes</source>
            <translation>Caracteres de fórmula de hoja de cálculo quitados de las notas</translation>
        </message>
        <message>
            <source>Spreadsheet formula characters removed from how they heard</source>
            <translation>Caracteres de fórmula de hoja de cálculo quitados de cómo se enteró</translation>
        </message>
        <message>
            <source>Adults written in words, read as a number</source>
            <translation>Adultos escritos en palabras, leídos como número</translation>
        </message>
        <message>
            <source>Kids written in words, read as a number</source>
            <translation>Niños escritos en palabras, leídos como número</translation>
        </message>
        <message>
            <source>Seniors written in words, read as a number</source>
            <translation>Mayores escritos en palabras, leídos como número</translation>
        </message>
        <message>
            <source>Household size written in words, read as a number</source>
            <translation>Tamaño del hogar escrito en palabras, leído como número</translation>
        </message>
        <message>
            <source>Only a suffix (Jr., Sr.) in the last name: surname taken from the first name</source>
            <translation>Solo un sufijo (Jr., Sr.) en el apellido: apellido tomado del nombre</translation>
        </message>
        <message>
            <source>Household size written in words, read as a number of people</source>
            <translation>Tamaño del hogar escrito con palabras, leído como número de personas</translation>
        </message>
        <message>
            <source>Household size written in words (“2 adults 3 kids”), read with its breakdown</source>
            <translation>Tamaño del hogar escrito con palabras («2 adultos 3 niños»), leído con su desglose</translation>
        </message>
        <message>
            <source>Household size “n/a”, read as not given</source>
            <translation>Tamaño del hogar «n/a», leído como no dado</translation>
        </message>
        <message>
            <source>Adults “n/a”, read as not given</source>
            <translation>Adultos «n/a», leído como no dado</translation>
        </message>
        <message>
            <source>Kids “n/a”, read as not given</source>
            <translation>Niños «n/a», leído como no dado</translation>
        </message>
        <message>
            <source>Seniors “n/a”, read as not given</source>
            <translation>Mayores «n/a», leído como no dado</translation>
        </message>
        <message>
            <source>Household size smaller than the kids and seniors beside it: read as the number of adults</source>
            <translation>Tamaño del hogar menor que los niños y mayores a su lado: leído como el número de adultos</translation>
        </message>
        <message>
            <source>Household size and adults/kids/seniors disagree (the larger kept)</source>
            <translation>El tamaño del hogar no coincide con adultos/niños/mayores (se guarda el mayor)</translation>
        </message>
        <message>
            <source>ZIP not understood, left blank</source>
            <translation>Código postal no entendido, se deja en blanco</translation>
        </message>
        <message>
            <source>ZIP read from the address</source>
            <translation>Código postal tomado de la dirección</translation>
        </message>
        <message>
            <source>Phone not kept: no consent</source>
            <translation>Teléfono no guardado: sin permiso</translation>
        </message>
        <message>
            <source>Email not kept: no consent</source>
            <translation>Correo no guardado: sin permiso</translation>
        </message>
        <message>
            <source>Phone not understood, left blank</source>
            <translation>Teléfono no entendido, se deja en blanco</translation>
        </message>
        <message>
            <source>Email not understood, left blank</source>
            <translation>Correo no entendido, se deja en blanco</translation>
        </message>
        <message>
            <source>Import pre-registrations</source>
            <translation>Importar preinscripciones</translation>
        </message>
        <message>
            <source>Columns in the file</source>
            <translation>Columnas del archivo</translation>
        </message>
        <message>
            <source>&amp;Sheet:</source>
            <translation>&amp;Hoja:</translation>
        </message>
        <message>
            <source>Sheet of the workbook to import</source>
            <translation>Hoja del libro que se importa</translation>
        </message>
        <message>
            <source>&amp;Households:</source>
            <translation>&amp;Hogares:</translation>
        </message>
        <message>
            <source>Which rows are one household</source>
            <translation>Qué filas son un hogar</translation>
        </message>
        <message>
            <source>Column</source>
            <translation>Columna</translation>
        </message>
        <message>
            <source>Imported as</source>
            <translation>Se importa como</translation>
        </message>
        <message>
            <source>First value</source>
            <translation>Primer valor</translation>
        </message>
        <message>
            <source>Which column fills which field</source>
            <translation>Qué columna llena qué campo</translation>
        </message>
        <message>
            <source>First rows, as they will be stored</source>
            <translation>Primeras filas, tal como se guardarán</translation>
        </message>
        <message>
            <source>Line</source>
            <translation>Línea</translation>
        </message>
        <message>
            <source>Consent</source>
            <translation>Permiso</translation>
        </message>
        <message>
            <source>Reference</source>
            <translation>Referencia</translation>
        </message>
        <message>
            <source>Rows not imported and why</source>
            <translation>Filas no importadas y por qué</translation>
        </message>
        <message>
            <source>Import progress</source>
            <translation>Progreso de la importación</translation>
        </message>
        <message>
            <source>&amp;Import</source>
            <translation>&amp;Importar</translation>
        </message>
        <message>
            <source>Import these rows</source>
            <translation>Importar estas filas</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <source>Cancel the import</source>
            <translation>Cancelar la importación</translation>
        </message>
        <message>
            <source>(not imported)</source>
            <translation>(no se importa)</translation>
        </message>
        <message>
            <source>Field for column %1</source>
            <translation>Campo para la columna %1</translation>
        </message>
        <message>
            <source>Reading the file…</source>
            <translation>Leyendo el archivo…</translation>
        </message>
        <message>
            <source>Excel workbook</source>
            <translation>Libro de Excel</translation>
        </message>
        <message>
            <source>Excel 97 workbook</source>
            <translation>Libro de Excel 97</translation>
        </message>
        <message>
            <source>OpenDocument spreadsheet</source>
            <translation>Hoja de cálculo OpenDocument</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>%1 (%2, separated by %3)</source>
            <translation>%1 (%2, separado por %3)</translation>
        </message>
        <message>
            <source>tab</source>
            <translation>tabulador</translation>
        </message>
        <message>
            <source>(guessed from the file)</source>
            <translation>(deducido del archivo)</translation>
        </message>
        <message>
            <source>Header found on line %1; the %2 lines above it are not imported</source>
            <translation>Encabezado hallado en la línea %1; las %2 líneas de encima no se importan</translation>
        </message>
        <message>
            <source>Header found on line %1</source>
            <translation>Encabezado hallado en la línea %1</translation>
        </message>
        <message>
            <source>Nothing imported: %1</source>
            <translation>No se importó nada: %1</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>sí</translation>
        </message>
        <message>
            <source>no</source>
            <translation>no</translation>
        </message>
        <message>
            <source>To import: %1</source>
            <translation>Para importar: %1</translation>
        </message>
        <message>
            <source>Line %1: skipped, its note says: %2</source>
            <translation>Línea %1: omitida, su nota dice: %2</translation>
        </message>
        <message>
            <source>Duplicates skipped: %1</source>
            <translation>Duplicados omitidos: %1</translation>
        </message>
        <message>
            <source>Possible duplicates: %1</source>
            <translation>Posibles duplicados: %1</translation>
        </message>
        <message>
            <source>Rejected: %1</source>
            <translation>Rechazadas: %1</translation>
        </message>
        <message>
            <source>Skipped by status: %1</source>
            <translation>Omitidas por estado: %1</translation>
        </message>
        <message>
            <source>Pending payment (imported, counted as coming): %1</source>
            <translation>Pago pendiente (importadas, cuentan como que vienen): %1</translation>
        </message>
        <message>
            <source>Line %1: rejected: %2</source>
            <translation>Línea %1: rechazada: %2</translation>
        </message>
        <message>
            <source>Duplicates skipped (already there or twice in the file), line numbers: %1</source>
            <translation>Duplicados omitidos (ya estaban o repetidos en el archivo), números de línea: %1</translation>
        </message>
        <message>
            <source>Imported, but same name and ZIP as another household, line numbers: %1</source>
            <translation>Importadas, pero con el mismo nombre y código postal que otro hogar, números de línea: %1</translation>
        </message>
        <message>
            <source>Line %1: skipped, status %2</source>
            <translation>Línea %1: omitida, estado %2</translation>
        </message>
        <message>
            <source>Columns not imported: %1</source>
            <translation>Columnas no importadas: %1</translation>
        </message>
        <message>
            <source>Note: %1</source>
            <translation>Nota: %1</translation>
        </message>
        <message>
            <source>%1 — rows: %2; line numbers: %3</source>
            <translation>%1 — filas: %2; números de línea: %3</translation>
        </message>
        <message>
            <source>Importing…</source>
            <translation>Importando…</translation>
        </message>
        <message>
            <source>Imported %1 households</source>
            <translation>Se importaron %1 hogares</translation>
        </message>
        <message>
            <source>Imported %1 households from %2</source>
            <translation>Se importaron %1 hogares de %2</translation>
        </message>
    </context>
    <context>
        <name>ImportReasons</name>
        <message>
            <source>adults</source>
            <translation>adultos</translation>
        </message>
        <message>
            <source>kids</source>
            <translation>niños</translation>
        </message>
        <message>
            <source>seniors</source>
            <translation>mayores</translation>
        </message>
        <message>
            <source>household size</source>
            <translation>tamaño del hogar</translation>
        </message>
        <message>
            <source>{cells} cells but the header has {width} (a value containing '{sep}' without quotes?)</source>
            <translation>{cells} celdas pero el encabezado tiene {width} (¿un valor con '{sep}' sin comillas?)</translation>
        </message>
        <message>
            <source>{what}: '{value}' is not a whole number</source>
            <translation>{what}: '{value}' no es un número entero</translation>
        </message>
        <message>
            <source>{what}: {n} is not between 0 and {most}</source>
            <translation>{what}: {n} no está entre 0 y {most}</translation>
        </message>
        <message>
            <source>{what}: not a whole number</source>
            <translation>{what}: no es un número entero</translation>
        </message>
        <message>
            <source>{what}: must be between 0 and {most}</source>
            <translation>{what}: debe estar entre 0 y {most}</translation>
        </message>
        <message>
            <source>reference: longer than {n} characters</source>
            <translation>referencia: más de {n} caracteres</translation>
        </message>
        <message>
            <source>no name or reference: nobody to look up at check-in</source>
            <translation>sin nombre ni referencia: no hay a quién buscar al registrar la entrada</translation>
        </message>
        <message>
            <source>(phone and email are not kept without consent)</source>
            <translation>(el teléfono y el correo no se guardan sin consentimiento)</translation>
        </message>
        <message>
            <source>A household needs at least one person</source>
            <translation>Un hogar necesita al menos una persona</translation>
        </message>
        <message>
            <source>ZIP: 3 to 10 letters and digits, at least one digit</source>
            <translation>Código postal: de 3 a 10 letras y dígitos, con al menos un dígito</translation>
        </message>
        <message>
            <source>email: not an address</source>
            <translation>correo: no es una dirección</translation>
        </message>
    </context>
    <context>
        <name>JoinDialog</name>
        <message>
            <source>Join an event on this network</source>
            <translation>Unirse a un evento de esta red</translation>
        </message>
        <message>
            <source>Events hosted on this network:</source>
            <translation>Eventos de esta red:</translation>
        </message>
        <message>
            <source>Events hosted on this network</source>
            <translation>Eventos de esta red</translation>
        </message>
        <message>
            <source>&amp;Look again</source>
            <translation>&amp;Buscar de nuevo</translation>
        </message>
        <message>
            <source>Join code</source>
            <translation>Código para unirse</translation>
        </message>
        <message>
            <source>This station's name</source>
            <translation>Nombre de esta estación</translation>
        </message>
        <message>
            <source>Volunteer first name</source>
            <translation>Nombre del voluntario(a)</translation>
        </message>
        <message>
            <source>Join &amp;code (type it, or scan the host's QR)</source>
            <translation>&amp;Código para unirse (escríbalo o escanee el QR del anfitrión)</translation>
        </message>
        <message>
            <source>Your &amp;first name</source>
            <translation>Su &amp;nombre</translation>
        </message>
        <message>
            <source>This &amp;station's name</source>
            <translation>Nombre de esta e&amp;stación</translation>
        </message>
        <message>
            <source>&amp;Join</source>
            <translation>&amp;Unirse</translation>
        </message>
        <message>
            <source>Looking for hosted events…</source>
            <translation>Buscando eventos…</translation>
        </message>
        <message>
            <source>Pick the event, then type or scan its join code.</source>
            <translation>Elija el evento y luego escriba o escanee su código para unirse.</translation>
        </message>
        <message>
            <source>No hosted event found yet. Is the host running, on the same Wi-Fi? You can also scan the QR on the host's screen.</source>
            <translation>Todavía no se encontró ningún evento. ¿Está el anfitrión en marcha, en la misma Wi-Fi? También puede escanear el QR de la pantalla del anfitrión.</translation>
        </message>
        <message>
            <source>A join code has 12 letters and digits, like ABCD-EFGH-JK12.</source>
            <translation>Un código para unirse tiene 12 letras y números, como ABCD-EFGH-JK12.</translation>
        </message>
        <message>
            <source>Type your first name and the station's name.</source>
            <translation>Escriba su nombre y el nombre de la estación.</translation>
        </message>
        <message>
            <source>Joining… (copying the event to this laptop)</source>
            <translation>Uniéndose… (copiando el evento a esta computadora)</translation>
        </message>
    </context>
    <context>
        <name>Layouts</name>
        <message>
            <source>Receipt roll, 80 mm</source>
            <translation>Rollo de recibos, 80 mm</translation>
        </message>
        <message>
            <source>Receipt roll, 58 mm</source>
            <translation>Rollo de recibos, 58 mm</translation>
        </message>
        <message>
            <source>Letter paper, one ticket a page</source>
            <translation>Papel carta, un boleto por hoja</translation>
        </message>
        <message>
            <source>A4 paper, one ticket a page</source>
            <translation>Papel A4, un boleto por hoja</translation>
        </message>
        <message>
            <source>Letter sheets, 30 tickets to cut</source>
            <translation>Hojas carta, 30 boletos para recortar</translation>
        </message>
        <message>
            <source>A4 sheets, 24 tickets to cut</source>
            <translation>Hojas A4, 24 boletos para recortar</translation>
        </message>
        <message>
            <source>Letter sheets, 8 badges</source>
            <translation>Hojas carta, 8 gafetes</translation>
        </message>
        <message>
            <source>Letter sheets, 4 flyers</source>
            <translation>Hojas carta, 4 volantes</translation>
        </message>
    </context>
    <context>
        <name>LegendDialog</name>
        <message>
            <source>Ready: waiting for the next scan</source>
            <translation>Lista: esperando el siguiente escaneo</translation>
        </message>
        <message>
            <source>Done: checked in, ticket handed over or redeemed; hand over what it says</source>
            <translation>Hecho: registro, boleto entregado o canjeado; entregue lo que dice</translation>
        </message>
        <message>
            <source>Look: already checked in, limit reached, scan the person first; nothing new was given</source>
            <translation>Atención: ya registrado, límite alcanzado, escanee primero a la persona; no se entregó nada nuevo</translation>
        </message>
        <message>
            <source>Refused: not a valid code here, or NOT saved; read the banner</source>
            <translation>Rechazado: código no válido aquí, o NO guardado; lea el aviso</translation>
        </message>
        <message>
            <source>A note about this person: read it before they go</source>
            <translation>Una nota sobre esta persona: léala antes de que se vaya</translation>
        </message>
        <message>
            <source>Saving…: wait for the colour before handing anything over</source>
            <translation>Guardando…: espere el color antes de entregar nada</translation>
        </message>
        <message>
            <source>Same scan again (the scanner read it twice): nothing more to give</source>
            <translation>El mismo escaneo otra vez (el escáner lo leyó dos veces): no hay nada más que dar</translation>
        </message>
        <message>
            <source>no sound</source>
            <translation>sin sonido</translation>
        </message>
        <message>
            <source>rising chime</source>
            <translation>campanilla ascendente</translation>
        </message>
        <message>
            <source>double beep</source>
            <translation>doble pitido</translation>
        </message>
        <message>
            <source>low buzz</source>
            <translation>zumbido grave</translation>
        </message>
        <message>
            <source>three-note call</source>
            <translation>llamada de tres notas</translation>
        </message>
        <message>
            <source>one soft tick</source>
            <translation>un tic suave</translation>
        </message>
        <message>
            <source>Colours, sounds and shortcuts</source>
            <translation>Colores, sonidos y atajos</translation>
        </message>
        <message>
            <source>What the banner's colours and sounds mean</source>
            <translation>Qué significan los colores y sonidos</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Atajos de teclado</translation>
        </message>
    </context>
    <context>
        <name>LockedPage</name>
        <message>
            <source>%1 is locked</source>
            <translation>%1: bloqueado</translation>
        </message>
        <message>
            <source>This screen is for organisers. Volunteers at the desk do not need it.</source>
            <translation>Esta pantalla es para organizadores. Quienes atienden la mesa no la necesitan.</translation>
        </message>
        <message>
            <source>&amp;Unlock with the organiser passphrase</source>
            <translation>&amp;Desbloquear con la frase de acceso del organizador</translation>
        </message>
        <message>
            <source>Unlock this screen</source>
            <translation>Desbloquear esta pantalla</translation>
        </message>
    </context>
    <context>
        <name>LogoPicker</name>
        <message>
            <source>Logo on tickets, badges and flyers</source>
            <translation>Logotipo en boletos, gafetes y volantes</translation>
        </message>
        <message>
            <source>Choose lo&amp;go...</source>
            <translation>Elegir lo&amp;gotipo...</translation>
        </message>
        <message>
            <source>Choose the event's logo</source>
            <translation>Elegir el logotipo del evento</translation>
        </message>
        <message>
            <source>Print &amp;without a logo</source>
            <translation>Imprimir s&amp;in logotipo</translation>
        </message>
        <message>
            <source>Remove the event's logo</source>
            <translation>Quitar el logotipo del evento</translation>
        </message>
        <message>
            <source>The event's logo</source>
            <translation>El logotipo del evento</translation>
        </message>
        <message>
            <source>No logo</source>
            <translation>Sin logotipo</translation>
        </message>
        <message>
            <source>Logo for tickets</source>
            <translation>Logotipo para los boletos</translation>
        </message>
        <message>
            <source>%1 is not an image this app can read: try a PNG or JPEG.</source>
            <translation>%1 no es una imagen que esta aplicación pueda leer: pruebe con un PNG o JPEG.</translation>
        </message>
        <message>
            <source>Logo saved: the next tickets print with it.</source>
            <translation>Logotipo guardado: los próximos boletos se imprimen con él.</translation>
        </message>
        <message>
            <source>Logo removed: tickets print without one.</source>
            <translation>Logotipo quitado: los boletos se imprimen sin él.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Desk</source>
            <translation>Mesa</translation>
        </message>
        <message>
            <source>Prize table</source>
            <translation>Mesa de premios</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>Panel</translation>
        </message>
        <message>
            <source>Setup</source>
            <translation>Configuración</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>Exportar</translation>
        </message>
        <message>
            <source>Merge</source>
            <translation>Combinar</translation>
        </message>
        <message>
            <source>Paper</source>
            <translation>Papel</translation>
        </message>
        <message>
            <source>{event} — {file} — checkin</source>
            <translation>{event} — {file} — checkin</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Archivo</translation>
        </message>
        <message>
            <source>&amp;Open event file…</source>
            <translation>&amp;Abrir archivo del evento…</translation>
        </message>
        <message>
            <source>&amp;New event…</source>
            <translation>&amp;Nuevo evento…</translation>
        </message>
        <message>
            <source>Open &amp;recent</source>
            <translation>Abrir &amp;reciente</translation>
        </message>
        <message>
            <source>&amp;Host this event on the network…</source>
            <translation>Ser &amp;anfitrión de este evento en la red…</translation>
        </message>
        <message>
            <source>Host with a ne&amp;w join code…</source>
            <translation>Ser anfitrión con un código nue&amp;vo…</translation>
        </message>
        <message>
            <source>This laptop may open this &amp;event…</source>
            <translation>Esta computadora puede abrir este &amp;evento…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Salir</translation>
        </message>
        <message>
            <source>&amp;Station</source>
            <translation>&amp;Estación</translation>
        </message>
        <message>
            <source>End-of-shift &amp;summary</source>
            <translation>&amp;Resumen del turno</translation>
        </message>
        <message>
            <source>&amp;Lock organiser screens</source>
            <translation>&amp;Bloquear las pantallas del organizador</translation>
        </message>
        <message>
            <source>Scanner &amp;check…</source>
            <translation>&amp;Prueba del escáner…</translation>
        </message>
        <message>
            <source>&amp;Void a ticket…</source>
            <translation>&amp;Anular un boleto…</translation>
        </message>
        <message>
            <source>Void a stock s&amp;heet…</source>
            <translation>Anular una &amp;hoja de boletos…</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Ver</translation>
        </message>
        <message>
            <source>&amp;High contrast, large text (sunlight)</source>
            <translation>&amp;Alto contraste, letra grande (pleno sol)</translation>
        </message>
        <message>
            <source>&amp;Full screen</source>
            <translation>&amp;Pantalla completa</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Idioma</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>A&amp;yuda</translation>
        </message>
        <message>
            <source>&amp;Volunteer guide and shortcuts</source>
            <translation>&amp;Guía para voluntarios y atajos</translation>
        </message>
        <message>
            <source>C&amp;olours and sounds</source>
            <translation>C&amp;olores y sonidos</translation>
        </message>
        <message>
            <source>Close the desk?</source>
            <translation>¿Cerrar la mesa?</translation>
        </message>
        <message>
            <source>While the desk is closed, this laptop takes no scans. Close it?</source>
            <translation>Mientras la mesa esté cerrada, esta computadora no recibe escaneos. ¿Cerrarla?</translation>
        </message>
        <message>
            <source>Close the desk</source>
            <translation>Cerrar la mesa</translation>
        </message>
        <message>
            <source>Keep it open</source>
            <translation>Dejarla abierta</translation>
        </message>
        <message>
            <source>Host this event</source>
            <translation>Ser anfitrión de este evento</translation>
        </message>
        <message>
            <source>Only an event file on this laptop can be hosted.</source>
            <translation>Solo se puede ser anfitrión de un archivo de evento de esta computadora.</translation>
        </message>
        <message>
            <source>Host with a new join code? The old code stops working: every station joins again with the new one. Use this when the code was seen by people it was not meant for.</source>
            <translation>¿Ser anfitrión con un código nuevo para unirse? El código anterior deja de funcionar: cada estación se une de nuevo con el nuevo. Úselo cuando personas a las que no iba dirigido vieron el código.</translation>
        </message>
        <message>
            <source>End-of-shift summary</source>
            <translation>Resumen del turno</translation>
        </message>
        <message>
            <source>Scans not on the host yet</source>
            <translation>Escaneos que aún no llegaron al anfitrión</translation>
        </message>
        <message>
            <source>What this laptop saved while working offline has not reached the host yet ({count} changes). It is kept on this laptop and sent the next time it joins the event (or the organiser merges this laptop's copy). Close anyway?</source>
            <translation>Lo que esta computadora guardó sin conexión aún no llegó al anfitrión ({count} cambios). Queda guardado en esta computadora y se envía la próxima vez que se una al evento (o cuando el organizador combine la copia de esta computadora). ¿Cerrar de todos modos?</translation>
        </message>
    </context>
    <context>
        <name>MergeView</name>
        <message>
            <source>Offline stations</source>
            <translation>Estaciones sin conexión</translation>
        </message>
        <message>
            <source>Station name for the copy</source>
            <translation>Nombre de la estación para la copia</translation>
        </message>
        <message>
            <source>Station name, e.g. desk-2 or meal</source>
            <translation>Nombre de la estación, p. ej. mesa-2 o comida</translation>
        </message>
        <message>
            <source>Save a station copy…</source>
            <translation>Guardar una copia para una estación…</translation>
        </message>
        <message>
            <source>Save a station copy of this event file</source>
            <translation>Guardar una copia de este archivo del evento para una estación</translation>
        </message>
        <message>
            <source>Before the event: a copy for each laptop without network</source>
            <translation>Antes del evento: una copia para cada computadora sin red</translation>
        </message>
        <message>
            <source>Station files to merge</source>
            <translation>Archivos de estación para combinar</translation>
        </message>
        <message>
            <source>Add station files…</source>
            <translation>Agregar archivos de estación…</translation>
        </message>
        <message>
            <source>Add station files</source>
            <translation>Agregar archivos de estación</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Quitar</translation>
        </message>
        <message>
            <source>Remove the selected station file</source>
            <translation>Quitar el archivo de estación seleccionado</translation>
        </message>
        <message>
            <source>Merge into this event</source>
            <translation>Combinar con este evento</translation>
        </message>
        <message>
            <source>Merge the station files into this event</source>
            <translation>Combinar los archivos de estación con este evento</translation>
        </message>
        <message>
            <source>Merge results</source>
            <translation>Resultados de la combinación</translation>
        </message>
        <message>
            <source>Merge status</source>
            <translation>Estado de la combinación</translation>
        </message>
        <message>
            <source>After the event: merge the stations' files</source>
            <translation>Después del evento: combinar los archivos de las estaciones</translation>
        </message>
        <message>
            <source>Still locked: nothing was merged.</source>
            <translation>Sigue bloqueado: no se combinó nada.</translation>
        </message>
        <message>
            <source>Type the station's name first.</source>
            <translation>Primero escriba el nombre de la estación.</translation>
        </message>
        <message>
            <source>Station copy</source>
            <translation>Copia para estación</translation>
        </message>
        <message>
            <source>Event files (*.checkin)</source>
            <translation>Archivos de evento (*.checkin)</translation>
        </message>
        <message>
            <source>Station copy for %1 saved in %2 (Guest numbers from %3).</source>
            <translation>Copia para %1 guardada en %2 (números de invitado desde %3).</translation>
        </message>
        <message>
            <source>Station files</source>
            <translation>Archivos de estación</translation>
        </message>
        <message>
            <source>Event files (*.checkin);;All files (*)</source>
            <translation>Archivos de evento (*.checkin);;Todos los archivos (*)</translation>
        </message>
        <message>
            <source>Add the stations' files first.</source>
            <translation>Primero agregue los archivos de las estaciones.</translation>
        </message>
        <message>
            <source>Merging…</source>
            <translation>Combinando…</translation>
        </message>
        <message>
            <source>Merge failed, nothing was changed: %1</source>
            <translation>La combinación falló, no se cambió nada: %1</translation>
        </message>
        <message>
            <source>%1: already merged, nothing to do</source>
            <translation>%1: ya combinado, no hay nada que hacer</translation>
        </message>
        <message>
            <source>%1: %2 walk-ups, %3 check-ins, %4 new and %5 updated tickets, %6 scans, %7 draws</source>
            <translation>%1: %2 sin registro previo, %3 registros de entrada, %4 boletos nuevos y %5 actualizados, %6 escaneos, %7 sorteos</translation>
        </message>
        <message>
            <source>  %1 households corrected at the station</source>
            <translation>  %1 hogares corregidos en la estación</translation>
        </message>
        <message>
            <source>  CONFLICT %1: %2</source>
            <translation>  CONFLICTO %1: %2</translation>
        </message>
        <message>
            <source>  registered at another station: %1</source>
            <translation>  inscrito en otra estación: %1</translation>
        </message>
        <message>
            <source>  note: %1</source>
            <translation>  nota: %1</translation>
        </message>
        <message>
            <source>%1: NOT merged: %2</source>
            <translation>%1: NO combinado: %2</translation>
        </message>
        <message>
            <source>%1 files merged, %2 conflicts, %3 refused</source>
            <translation>%1 archivos combinados, %2 conflictos, %3 rechazados</translation>
        </message>
    </context>
    <context>
        <name>Names</name>
        <message>
            <source>Guest #%1</source>
            <translation>Invitado n.º %1</translation>
        </message>
    </context>
    <context>
        <name>NewEventDialog</name>
        <message>
            <source>New event</source>
            <translation>Evento nuevo</translation>
        </message>
        <message>
            <source> days after the event</source>
            <translation> días después del evento</translation>
        </message>
        <message>
            <source>Block party: Raffle, Meal, Backpack and Resource referral tickets</source>
            <translation>Fiesta de barrio: boletos de rifa, comida, mochila y derivación a recursos</translation>
        </message>
        <message>
            <source>Empty: I set up the ticket types myself</source>
            <translation>Vacío: configuro yo los tipos de boleto</translation>
        </message>
        <message>
            <source>&amp;Start from</source>
            <translation>&amp;Empezar con</translation>
        </message>
        <message>
            <source>Event &amp;name</source>
            <translation>&amp;Nombre del evento</translation>
        </message>
        <message>
            <source>&amp;Date</source>
            <translation>&amp;Fecha</translation>
        </message>
        <message>
            <source>&amp;Location</source>
            <translation>&amp;Lugar</translation>
        </message>
        <message>
            <source>Personal data &amp;kept for</source>
            <translation>Datos personales &amp;conservados</translation>
        </message>
        <message>
            <source>Organiser &amp;passphrase</source>
            <translation>Frase de acceso del &amp;organizador</translation>
        </message>
        <message>
            <source>Passphrase &amp;again</source>
            <translation>Frase de acceso otra &amp;vez</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Archivo</translation>
        </message>
        <message>
            <source>The passphrase locks setup, the attendee list and exports.</source>
            <translation>La frase de acceso bloquea la configuración, la lista de asistentes y las exportaciones.</translation>
        </message>
        <message>
            <source>On that day the app asks to delete names, phones and emails, with the backups and copies it made; the counts and the report stay.</source>
            <translation>Ese día la aplicación pide borrar nombres, teléfonos y correos, con las copias de seguridad y las copias que hizo; los conteos y el informe se quedan.</translation>
        </message>
        <message>
            <source>The event needs a name.</source>
            <translation>El evento necesita un nombre.</translation>
        </message>
        <message>
            <source>The passphrases differ.</source>
            <translation>Las frases de acceso no coinciden.</translation>
        </message>
        <message>
            <source>The passphrase needs at least 8 characters (or 4 words).</source>
            <translation>La frase de acceso necesita al menos 8 caracteres (o 4 palabras).</translation>
        </message>
        <message>
            <source>That file already exists.</source>
            <translation>Ese archivo ya existe.</translation>
        </message>
    </context>
    <context>
        <name>Operations</name>
        <message>
            <source>Could not finish</source>
            <translation>No se pudo terminar</translation>
        </message>
    </context>
    <context>
        <name>OrganiserLockDialog</name>
        <message>
            <source>Organiser passphrase</source>
            <translation>Frase de acceso del organizador</translation>
        </message>
        <message>
            <source>Drawing needs the &amp;organiser passphrase or the raffle caller's PIN.</source>
            <translation>Para sortear hace falta la frase del &amp;organizador o el PIN de quien sortea.</translation>
        </message>
        <message>
            <source>This screen holds personal data. Type the &amp;organiser passphrase to open it.</source>
            <translation>Esta pantalla contiene datos personales. Escriba la frase de acceso del &amp;organizador para abrirla.</translation>
        </message>
        <message>
            <source>Passphrase error</source>
            <translation>Error en la frase de acceso</translation>
        </message>
        <message>
            <source>Unlock</source>
            <translation>Desbloquear</translation>
        </message>
        <message>
            <source>Unlock organiser screens</source>
            <translation>Desbloquear las pantallas del organizador</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <source>Cancel and stay locked</source>
            <translation>Cancelar y seguir bloqueado</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>Comprobando…</translation>
        </message>
        <message numerus="yes">
            <source>Too many wrong tries. Wait %n second(s), then try again.</source>
            <translation>
                <numerusform>Demasiados intentos fallidos. Espere %n segundo y vuelva a intentarlo.</numerusform>
                <numerusform>Demasiados intentos fallidos. Espere %n segundos y vuelva a intentarlo.</numerusform>
            </translation>
        </message>
        <message>
            <source>Wrong passphrase or PIN. Check it and Caps Lock, then try again.</source>
            <translation>Frase de acceso o PIN incorrectos. Revíselos y las mayúsculas (Bloq Mayús) e intente de nuevo.</translation>
        </message>
        <message>
            <source>Wrong passphrase. Check the spelling and Caps Lock, then try again.</source>
            <translation>Frase de acceso incorrecta. Revise la ortografía y las mayúsculas (Bloq Mayús) e intente de nuevo.</translation>
        </message>
    </context>
    <context>
        <name>PaperView</name>
        <message>
            <source>Household: {a} adults, {k} kids, {s} seniors, ZIP {z}</source>
            <translation>Hogar: {a} adultos, {k} niños, {s} mayores, código postal {z}</translation>
        </message>
        <message>
            <source>Tickets: {n} {type}</source>
            <translation>Boletos: {n} {type}</translation>
        </message>
        <message>
            <source>Nothing to save yet.</source>
            <translation>Todavía no hay nada que guardar.</translation>
        </message>
        <message>
            <source>Locked: the organiser passphrase is needed.</source>
            <translation>Bloqueado: se necesita la contraseña del organizador.</translation>
        </message>
        <message>
            <source>Not saved: {reason}</source>
            <translation>No se guardó: {reason}</translation>
        </message>
        <message>
            <source>Saved {h} households and {t} tallies, marked as from paper.</source>
            <translation>Se guardaron {h} hogares y {t} conteos, marcados como registrados en papel.</translation>
        </message>
        <message>
            <source>Save stock sheets</source>
            <translation>Guardar hojas de boletos</translation>
        </message>
        <message>
            <source>{n} {type} tickets ready to print: {path}</source>
            <translation>{n} boletos de {type} listos para imprimir: {path}</translation>
        </message>
        <message>
            <source>Stock not made: {reason}</source>
            <translation>No se crearon los boletos: {reason}</translation>
        </message>
        <message>
            <source>When a laptop died and volunteers kept going on the paper kit's tally sheets, enter what they wrote here. It counts in the summary, marked as from paper.</source>
            <translation>Si una computadora falló y los voluntarios siguieron con las hojas de conteo del kit en papel, ingrese aquí lo que anotaron. Cuenta en el resumen, marcado como de papel.</translation>
        </message>
        <message>
            <source>Adults</source>
            <translation>Adultos</translation>
        </message>
        <message>
            <source>Kids</source>
            <translation>Niños</translation>
        </message>
        <message>
            <source>Seniors</source>
            <translation>Mayores</translation>
        </message>
        <message>
            <source>ZIP</source>
            <translation>Código postal</translation>
        </message>
        <message>
            <source>Ticket type</source>
            <translation>Tipo de boleto</translation>
        </message>
        <message>
            <source>Count</source>
            <translation>Cantidad</translation>
        </message>
        <message>
            <source>Add &amp;household</source>
            <translation>Agregar &amp;hogar</translation>
        </message>
        <message>
            <source>Add &amp;tally</source>
            <translation>Agregar &amp;conteo</translation>
        </message>
        <message>
            <source>&amp;Save all</source>
            <translation>&amp;Guardar todo</translation>
        </message>
        <message>
            <source>Entries not saved yet</source>
            <translation>Entradas aún no guardadas</translation>
        </message>
        <message>
            <source>ZIP code</source>
            <translation>Código postal</translation>
        </message>
        <message>
            <source>Pre-printed stock:</source>
            <translation>Boletos preimpresos:</translation>
        </message>
        <message>
            <source>Save stock &amp;sheets PDF…</source>
            <translation>Guardar &amp;hojas de boletos en PDF…</translation>
        </message>
        <message>
            <source>Ticket type for the stock sheets</source>
            <translation>Tipo de boleto para las hojas</translation>
        </message>
        <message>
            <source>How many tickets</source>
            <translation>Cuántos boletos</translation>
        </message>
        <message>
            <source>Sheet layout</source>
            <translation>Formato de la hoja</translation>
        </message>
        <message>
            <source>Progress</source>
            <translation>Progreso</translation>
        </message>
    </context>
    <context>
        <name>PersonPanel</name>
        <message>
            <source>Person on screen</source>
            <translation>Persona en pantalla</translation>
        </message>
        <message>
            <source>Nobody selected</source>
            <translation>Nadie seleccionado</translation>
        </message>
        <message>
            <source>Note: {notes}</source>
            <translation>Nota: {notes}</translation>
        </message>
        <message>
            <source>Note about this person</source>
            <translation>Nota sobre esta persona</translation>
        </message>
        <message>
            <source>Household of {n} (adults {a}, kids {k}, seniors {s})</source>
            <translation>Hogar de {n} (adultos {a}, niños {k}, mayores {s})</translation>
        </message>
        <message>
            <source>Needs attention: ask the organiser</source>
            <translation>Necesita atención: pregunte al organizador</translation>
        </message>
        <message>
            <source>Needs attention</source>
            <translation>Necesita atención</translation>
        </message>
        <message>
            <source>{type}: has {held} of {allowed}</source>
            <translation>{type}: tiene {held} de {allowed}</translation>
        </message>
        <message>
            <source>{type}: has all {held}</source>
            <translation>{type}: tiene los {held}</translation>
        </message>
        <message>
            <source>{type}: {left} of {allowed} left</source>
            <translation>{type}: quedan {left} de {allowed}</translation>
        </message>
    </context>
    <context>
        <name>PersonWindow</name>
        <message>
            <source>Person</source>
            <translation>Persona</translation>
        </message>
        <message>
            <source>Answer at the desk</source>
            <translation>Respuesta en la mesa</translation>
        </message>
        <message>
            <source>Needs &amp;attention</source>
            <translation>Nece&amp;sita atención</translation>
        </message>
        <message>
            <source>Attention &amp;note</source>
            <translation>&amp;Lo que necesita</translation>
        </message>
        <message>
            <source>&amp;First name</source>
            <translation>&amp;Nombre</translation>
        </message>
        <message>
            <source>&amp;Last name</source>
            <translation>&amp;Apellido</translation>
        </message>
        <message>
            <source>Household</source>
            <translation>Hogar</translation>
        </message>
        <message>
            <source>A&amp;dults</source>
            <translation>A&amp;dultos</translation>
        </message>
        <message>
            <source>&amp;Kids</source>
            <translation>N&amp;iños</translation>
        </message>
        <message>
            <source>S&amp;eniors</source>
            <translation>&amp;Mayores</translation>
        </message>
        <message>
            <source>&amp;ZIP</source>
            <translation>Código &amp;postal</translation>
        </message>
        <message>
            <source>Preferred lan&amp;guage</source>
            <translation>Idioma pre&amp;ferido</translation>
        </message>
        <message>
            <source>N&amp;otes</source>
            <translation>N&amp;otas</translation>
        </message>
        <message>
            <source>Agreed to be &amp;contacted</source>
            <translation>Aceptó ser &amp;contactado</translation>
        </message>
        <message>
            <source>&amp;Phone</source>
            <translation>&amp;Teléfono</translation>
        </message>
        <message>
            <source>E&amp;mail</source>
            <translation>Corr&amp;eo</translation>
        </message>
        <message>
            <source>e.g. uses a wheelchair</source>
            <translation>p. ej., usa silla de ruedas</translation>
        </message>
        <message>
            <source>Needs attention</source>
            <translation>Necesita atención</translation>
        </message>
        <message>
            <source>Agreed to be contacted</source>
            <translation>Aceptó ser contactado</translation>
        </message>
        <message>
            <source>Codes and &amp;tickets</source>
            <translation>Códigos y &amp;boletos</translation>
        </message>
        <message>
            <source>&amp;History</source>
            <translation>&amp;Historial</translation>
        </message>
        <message>
            <source>Code</source>
            <translation>Código</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <source>No.</source>
            <translation>N.º</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>When</source>
            <translation>Cuándo</translation>
        </message>
        <message>
            <source>Station</source>
            <translation>Estación</translation>
        </message>
        <message>
            <source>By</source>
            <translation>Por</translation>
        </message>
        <message>
            <source>What</source>
            <translation>Qué</translation>
        </message>
        <message>
            <source>Locked: only the attention note can be set. Unlock organiser screens to see and correct everything else.</source>
            <translation>Bloqueado: solo se puede poner la nota de atención. Desbloquee las pantallas del organizador para ver y corregir todo lo demás.</translation>
        </message>
        <message>
            <source>&amp;Unlock to edit everything…</source>
            <translation>Desblo&amp;quear para editar todo…</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>&amp;Guardar</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <source>Nobody has this code any more</source>
            <translation>Ya nadie tiene este código</translation>
        </message>
        <message>
            <source>{name}  ·  #{number}  ·  {code}</source>
            <translation>{name}  ·  n.º {number}  ·  {code}</translation>
        </message>
        <message>
            <source>not handed out</source>
            <translation>no entregado</translation>
        </message>
        <message>
            <source>handed out</source>
            <translation>entregados</translation>
        </message>
        <message>
            <source>used</source>
            <translation>usado</translation>
        </message>
        <message>
            <source>void</source>
            <translation>anulado</translation>
        </message>
        <message>
            <source>Check-in code</source>
            <translation>Código de registro</translation>
        </message>
        <message>
            <source> (undone)</source>
            <translation> (deshecho)</translation>
        </message>
        <message>
            <source>registered</source>
            <translation>registrado</translation>
        </message>
        <message>
            <source>registered (import)</source>
            <translation>registrado (importación)</translation>
        </message>
        <message>
            <source>edited</source>
            <translation>editado</translation>
        </message>
        <message>
            <source>checked in</source>
            <translation>registró llegada</translation>
        </message>
        <message>
            <source>tickets issued</source>
            <translation>boletos emitidos</translation>
        </message>
        <message>
            <source>ticket redeemed</source>
            <translation>boleto canjeado</translation>
        </message>
        <message>
            <source>ticket handed out</source>
            <translation>boleto entregado</translation>
        </message>
        <message>
            <source>ticket voided</source>
            <translation>boleto anulado</translation>
        </message>
        <message>
            <source>flyer recorded</source>
            <translation>volante registrado</translation>
        </message>
        <message>
            <source>prize claimed</source>
            <translation>premio reclamado</translation>
        </message>
        <message>
            <source>undone</source>
            <translation>deshecho</translation>
        </message>
        <message>
            <source>Nothing changed</source>
            <translation>Nada cambió</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>Guardando…</translation>
        </message>
        <message>
            <source>Not saved: {reason}</source>
            <translation>No se guardó: {reason}</translation>
        </message>
        <message>
            <source>Saved.</source>
            <translation>Guardado.</translation>
        </message>
        <message>
            <source>{type} tickets due: {before} → {after}</source>
            <translation>Boletos de {type} que le tocan: {before} → {after}</translation>
        </message>
        <message>
            <source> ({held} already handed over stay with the household)</source>
            <translation> ({held} ya entregados se quedan con el hogar)</translation>
        </message>
    </context>
    <context>
        <name>PrizeView</name>
        <message>
            <source>Prize table</source>
            <translation>Mesa de premios</translation>
        </message>
        <message>
            <source>Scan the winning raffle ticket, or type its code and press Enter.</source>
            <translation>Escanee el boleto de rifa ganador, o escriba su código y presione Enter.</translation>
        </message>
        <message>
            <source>Winning ticket code</source>
            <translation>Código del boleto ganador</translation>
        </message>
        <message>
            <source>Scan or type a ticket code</source>
            <translation>Escanee o escriba el código de un boleto</translation>
        </message>
        <message>
            <source>Display {number}: {name} ({width}×{height})</source>
            <translation>Pantalla {number}: {name} ({width}×{height})</translation>
        </message>
        <message>
            <source>Scan result</source>
            <translation>Resultado del escaneo</translation>
        </message>
        <message>
            <source>Drawn prizes</source>
            <translation>Premios sorteados</translation>
        </message>
        <message>
            <source>Prize</source>
            <translation>Premio</translation>
        </message>
        <message>
            <source>Ticket No.</source>
            <translation>Boleto n.º</translation>
        </message>
        <message>
            <source>Winner</source>
            <translation>Ganador</translation>
        </message>
        <message>
            <source>Drawn at</source>
            <translation>Sorteado a las</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>Redraw</source>
            <translation>Volver a sortear</translation>
        </message>
        <message>
            <source> min</source>
            <translation> min</translation>
        </message>
        <message>
            <source>Minutes a winner has before a redraw</source>
            <translation>Minutos que tiene un ganador antes de volver a sortear</translation>
        </message>
        <message>
            <source>Display for the big screen</source>
            <translation>Pantalla para la proyección</translation>
        </message>
        <message>
            <source>Claimed {time}</source>
            <translation>Entregado {time}</translation>
        </message>
        <message>
            <source>Redrawn {time} (did not come)</source>
            <translation>Sorteado de nuevo {time} (no se presentó)</translation>
        </message>
        <message>
            <source>Redraw {prize} (ticket No. {serial})</source>
            <translation>Volver a sortear {prize} (boleto n.º {serial})</translation>
        </message>
        <message>
            <source>Nobody came for {prize} (ticket No. {serial}). Draw a new winner?</source>
            <translation>Nadie vino por {prize} (boleto n.º {serial}). ¿Sortear un nuevo ganador?</translation>
        </message>
        <message>
            <source>New winner of {prize}: ticket No. {serial}. Call it out!</source>
            <translation>Nuevo ganador de {prize}: boleto n.º {serial}. ¡Anúncielo!</translation>
        </message>
        <message>
            <source>Change…</source>
            <translation>Cambiar…</translation>
        </message>
        <message>
            <source>Unlock the redraw wait (organiser or raffle caller)</source>
            <translation>Desbloquear la espera para volver a sortear (organizador o quien sortea)</translation>
        </message>
        <message>
            <source>Waiting for a winner</source>
            <translation>Esperando a un ganador</translation>
        </message>
        <message>
            <source>Open big screen</source>
            <translation>Abrir la pantalla grande</translation>
        </message>
        <message>
            <source>Open the raffle big screen</source>
            <translation>Abrir la pantalla grande de la rifa</translation>
        </message>
        <message>
            <source>A winner who does not come can be redrawn after</source>
            <translation>Si un ganador no se presenta, se puede volver a sortear después de</translation>
        </message>
        <message>
            <source>Waiting for the winner</source>
            <translation>Esperando al ganador</translation>
        </message>
        <message numerus="yes">
            <source>In %n min</source>
            <translation>
                <numerusform>En %n min</numerusform>
                <numerusform>En %n min</numerusform>
            </translation>
        </message>
        <message>
            <source>The winner still has time to come to the prize table</source>
            <translation>El ganador todavía tiene tiempo para venir a la mesa de premios</translation>
        </message>
        <message numerus="yes">
            <source>The winner still has %n minute(s) to come</source>
            <translation>
                <numerusform>Al ganador le queda %n minuto para venir</numerusform>
                <numerusform>Al ganador le quedan %n minutos para venir</numerusform>
            </translation>
        </message>
        <message>
            <source>Nobody else is eligible for this prize</source>
            <translation>Nadie más puede participar por este premio</translation>
        </message>
        <message>
            <source>This prize cannot be redrawn: it was claimed or already redrawn</source>
            <translation>Este premio no se puede volver a sortear: ya se entregó o ya se volvió a sortear</translation>
        </message>
    </context>
    <context>
        <name>PrizesEditor</name>
        <message>
            <source>Prizes in the order of drawing</source>
            <translation>Premios en el orden del sorteo</translation>
        </message>
        <message>
            <source>Prize</source>
            <translation>Premio</translation>
        </message>
        <message>
            <source>Quantity</source>
            <translation>Cantidad</translation>
        </message>
        <message>
            <source>Sponsor</source>
            <translation>Patrocinador</translation>
        </message>
        <message>
            <source>Drawn</source>
            <translation>Sorteados</translation>
        </message>
        <message>
            <source>Prize name</source>
            <translation>Nombre del premio</translation>
        </message>
        <message>
            <source>How many of this prize</source>
            <translation>Cuántos hay de este premio</translation>
        </message>
        <message>
            <source>Sponsor (optional)</source>
            <translation>Patrocinador (opcional)</translation>
        </message>
        <message>
            <source>Add prize</source>
            <translation>Agregar premio</translation>
        </message>
        <message>
            <source>Save changes</source>
            <translation>Guardar cambios</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Quitar</translation>
        </message>
        <message>
            <source>Draw earlier</source>
            <translation>Sortear antes</translation>
        </message>
        <message>
            <source>Draw later</source>
            <translation>Sortear después</translation>
        </message>
        <message>
            <source>Add a prize</source>
            <translation>Agregar un premio</translation>
        </message>
        <message>
            <source>Save the selected prize</source>
            <translation>Guardar el premio seleccionado</translation>
        </message>
        <message>
            <source>Remove the selected prize</source>
            <translation>Quitar el premio seleccionado</translation>
        </message>
        <message>
            <source>Move the selected prize earlier</source>
            <translation>Sortear antes el premio seleccionado</translation>
        </message>
        <message>
            <source>Move the selected prize later</source>
            <translation>Sortear después el premio seleccionado</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <source>Prizes</source>
            <translation>Premios</translation>
        </message>
        <message>
            <source>Only people who checked in can win</source>
            <translation>Solo pueden ganar las personas registradas</translation>
        </message>
        <message>
            <source>How many prizes one household can win</source>
            <translation>Cuántos premios puede ganar un hogar</translation>
        </message>
        <message>
            <source>One prize per household</source>
            <translation>Un premio por hogar</translation>
        </message>
        <message>
            <source>One prize per person in the household</source>
            <translation>Un premio por persona del hogar</translation>
        </message>
        <message>
            <source>No limit (each ticket can win once)</source>
            <translation>Sin límite (cada boleto puede ganar una vez)</translation>
        </message>
        <message>
            <source>Tickets handed out after this time are not in the draw</source>
            <translation>Los boletos entregados después de esta hora no entran en el sorteo</translation>
        </message>
        <message>
            <source>Cut-off time for raffle tickets</source>
            <translation>Hora límite para los boletos de rifa</translation>
        </message>
        <message>
            <source> min</source>
            <translation> min</translation>
        </message>
        <message>
            <source>Minutes a winner has before a redraw</source>
            <translation>Minutos que tiene un ganador antes de volver a sortear</translation>
        </message>
        <message>
            <source>Save rules</source>
            <translation>Guardar reglas</translation>
        </message>
        <message>
            <source>Save the raffle rules</source>
            <translation>Guardar las reglas de la rifa</translation>
        </message>
        <message>
            <source>Rules of the draw</source>
            <translation>Reglas del sorteo</translation>
        </message>
        <message>
            <source>Wins</source>
            <translation>Premios ganados</translation>
        </message>
        <message>
            <source>Cut-off</source>
            <translation>Hora límite</translation>
        </message>
        <message>
            <source>Redraw a no-show after</source>
            <translation>Volver a sortear si no se presenta después de</translation>
        </message>
        <message>
            <source>Prizes editor status</source>
            <translation>Estado del editor de premios</translation>
        </message>
        <message>
            <source>Prize added</source>
            <translation>Premio agregado</translation>
        </message>
        <message>
            <source>Prize saved</source>
            <translation>Premio guardado</translation>
        </message>
        <message>
            <source>Prize removed</source>
            <translation>Premio quitado</translation>
        </message>
        <message>
            <source>Order of drawing changed</source>
            <translation>Se cambió el orden del sorteo</translation>
        </message>
        <message>
            <source>Rules saved</source>
            <translation>Reglas guardadas</translation>
        </message>
    </context>
    <context>
        <name>QFileDialog</name>
        <message>
            <source>&amp;Look in:</source>
            <translation>&amp;Buscar en:</translation>
        </message>
        <message>
            <source>Files of &amp;type:</source>
            <translation>Archivos de &amp;tipo:</translation>
        </message>
    </context>
    <context>
        <name>RaffleScreen</name>
        <message>
            <source>Raffle</source>
            <translation>Rifa</translation>
        </message>
        <message>
            <source>Raffle big screen</source>
            <translation>Pantalla grande de la rifa</translation>
        </message>
        <message>
            <source>Winning ticket number</source>
            <translation>Número del boleto ganador</translation>
        </message>
        <message>
            <source>Redraw: ticket No. %1 did not come for it</source>
            <translation>Nuevo sorteo: el boleto n.º %1 no vino a recogerlo</translation>
        </message>
        <message>
            <source>Ready to draw</source>
            <translation>Listo para sortear</translation>
        </message>
        <message>
            <source>Hold Space or Ctrl+Space: draw  ·  Ctrl+W: witness number  ·  Ctrl+R: redraw  ·  Ctrl+M: next display  ·  Esc: leave</source>
            <translation>Mantenga Espacio o Ctrl+Espacio: sortear  ·  Ctrl+W: número del testigo  ·  Ctrl+R: volver a sortear  ·  Ctrl+M: siguiente pantalla  ·  Esc: salir</translation>
        </message>
        <message>
            <source>Hold Space or Ctrl+Space: show the number</source>
            <translation>Mantenga Espacio o Ctrl+Espacio: mostrar el número</translation>
        </message>
        <message>
            <source>Hold Space or Ctrl+Space: next prize  ·  Ctrl+R: redraw  ·  Ctrl+M: next display  ·  Esc: leave</source>
            <translation>Mantenga Espacio o Ctrl+Espacio: siguiente premio  ·  Ctrl+R: volver a sortear  ·  Ctrl+M: siguiente pantalla  ·  Esc: salir</translation>
        </message>
        <message>
            <source>Hold Space or Ctrl+Space: check again  ·  Ctrl+R: redraw  ·  Ctrl+M: next display  ·  Esc: leave</source>
            <translation>Mantenga Espacio o Ctrl+Espacio: revisar de nuevo  ·  Ctrl+R: volver a sortear  ·  Ctrl+M: siguiente pantalla  ·  Esc: salir</translation>
        </message>
        <message>
            <source>Hold Space to draw</source>
            <translation>Mantenga Espacio para sortear</translation>
        </message>
        <message>
            <source>Winner %1 of %2</source>
            <translation>Ganador %1 de %2</translation>
        </message>
        <message>
            <source>Sponsored by %1</source>
            <translation>Patrocinado por %1</translation>
        </message>
        <message>
            <source>In the draw: %1 tickets  ·  pool hash %2…  ·  commitment %3…</source>
            <translation>En el sorteo: %1 boletos  ·  hash del grupo %2…  ·  compromiso %3…</translation>
        </message>
        <message>
            <source>Witness number: %1</source>
            <translation>Número del testigo: %1</translation>
        </message>
        <message>
            <source>%1 tickets  ·  pool hash %2…  ·  commitment %3…  ·  seed %4…</source>
            <translation>%1 boletos  ·  hash del grupo %2…  ·  compromiso %3…  ·  semilla %4…</translation>
        </message>
        <message>
            <source>witness %1</source>
            <translation>testigo %1</translation>
        </message>
        <message>
            <source>Anyone can check this draw: checkin raffle-log</source>
            <translation>Cualquiera puede verificar este sorteo: checkin raffle-log</translation>
        </message>
        <message>
            <source>All prizes have been drawn. Thank you! / ¡Gracias a todos!</source>
            <translation>Se sortearon todos los premios. ¡Gracias a todos! / Thank you!</translation>
        </message>
        <message>
            <source>All of this prize have been drawn</source>
            <translation>Ya se sortearon todas las unidades de este premio</translation>
        </message>
        <message>
            <source>This prize is not in the list</source>
            <translation>Este premio no está en la lista</translation>
        </message>
        <message>
            <source>Nobody is eligible for this prize yet</source>
            <translation>Todavía nadie puede participar por este premio</translation>
        </message>
        <message numerus="yes">
            <source>The winner still has %n minute(s) to come to the prize table</source>
            <translation>
                <numerusform>Al ganador le queda %n minuto para venir a la mesa de premios</numerusform>
                <numerusform>Al ganador le quedan %n minutos para venir a la mesa de premios</numerusform>
            </translation>
        </message>
        <message>
            <source>This prize has no winner waiting to be replaced</source>
            <translation>Este premio no tiene un ganador pendiente que reemplazar</translation>
        </message>
        <message>
            <source>That witness number cannot be used</source>
            <translation>Ese número del testigo no se puede usar</translation>
        </message>
        <message>
            <source>This draw was already made</source>
            <translation>Este sorteo ya se hizo</translation>
        </message>
        <message>
            <source>Locked: the organiser or the raffle caller draws</source>
            <translation>Bloqueado: sortea el organizador o quien tenga el PIN</translation>
        </message>
        <message>
            <source>The pool changed (%1 tickets now): new commitment shown</source>
            <translation>El grupo cambió (ahora %1 boletos): se muestra un nuevo compromiso</translation>
        </message>
        <message>
            <source>Ticket No.</source>
            <translation>Boleto n.º</translation>
        </message>
        <message>
            <source>Come to the prize table!</source>
            <translation>¡Venga a la mesa de premios!</translation>
        </message>
        <message>
            <source>¡Venga a la mesa de premios!</source>
            <translation>Come to the prize table!</translation>
        </message>
        <message>
            <source>Witness number</source>
            <translation>Número del testigo</translation>
        </message>
        <message>
            <source>Number called out by someone in the crowd:</source>
            <translation>Número que dice en voz alta alguien del público:</translation>
        </message>
        <message>
            <source>Redraw</source>
            <translation>Volver a sortear</translation>
        </message>
        <message>
            <source>Nobody came for %1 (ticket No. %2). Draw again?</source>
            <translation>Nadie vino por %1 (boleto n.º %2). ¿Sortear de nuevo?</translation>
        </message>
        <message>
            <source>No winner is waiting to be replaced</source>
            <translation>No hay un ganador pendiente que reemplazar</translation>
        </message>
        <message numerus="yes">
            <source>Ticket No. %1 still has %n minute(s) to come</source>
            <translation>
                <numerusform>Al boleto n.º %1 le queda %n minuto para venir</numerusform>
                <numerusform>Al boleto n.º %1 le quedan %n minutos para venir</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>RestoreDialog</name>
        <message>
            <source>Restore from a backup</source>
            <translation>Restaurar desde una copia</translation>
        </message>
        <message>
            <source>Everything done since the backup will be replaced by the backup. The current file is kept next to it as a copy (.before-restore).</source>
            <translation>Todo lo hecho desde la copia se reemplazará por la copia. El archivo actual se conserva a su lado como copia (.before-restore).</translation>
        </message>
        <message>
            <source>Backups, newest first</source>
            <translation>Copias, la más reciente primero</translation>
        </message>
        <message>
            <source>Another file…</source>
            <translation>Otro archivo…</translation>
        </message>
        <message>
            <source>Choose another backup file</source>
            <translation>Elegir otro archivo de copia</translation>
        </message>
        <message>
            <source>Restore</source>
            <translation>Restaurar</translation>
        </message>
        <message>
            <source>Restore the chosen backup</source>
            <translation>Restaurar la copia elegida</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <source>No backups in %1</source>
            <translation>No hay copias en %1</translation>
        </message>
        <message>
            <source>Restore status</source>
            <translation>Estado de la restauración</translation>
        </message>
        <message>
            <source>Backup file</source>
            <translation>Archivo de copia</translation>
        </message>
        <message>
            <source>Event files (*.checkin);;All files (*)</source>
            <translation>Archivos de evento (*.checkin);;Todos los archivos (*)</translation>
        </message>
        <message>
            <source>Replace the event file with %1?</source>
            <translation>¿Reemplazar el archivo del evento por %1?</translation>
        </message>
        <message>
            <source>Choose a backup first.</source>
            <translation>Primero elija una copia.</translation>
        </message>
        <message>
            <source>A shared server database is restored on the server.</source>
            <translation>Una base de datos compartida en un servidor se restaura en el servidor.</translation>
        </message>
        <message>
            <source>Restored %1. The previous file is kept as %2.</source>
            <translation>Se restauró %1. El archivo anterior se conserva como %2.</translation>
        </message>
        <message>
            <source>Restored %1.</source>
            <translation>Se restauró %1.</translation>
        </message>
        <message>
            <source>A log file that did not belong to the event file was moved aside: %1.</source>
            <translation>Un archivo de registro que no pertenecía al archivo del evento se apartó: %1.</translation>
        </message>
    </context>
    <context>
        <name>ResultBanner</name>
        <message>
            <source>Scan result</source>
            <translation>Resultado del escaneo</translation>
        </message>
        <message>
            <source>Ready to scan</source>
            <translation>Listo para escanear</translation>
        </message>
        <message>
            <source>Scan a code, type a name, or press F2 for a walk-up</source>
            <translation>Escanee un código, escriba un nombre, o presione F2 para alguien sin registro previo</translation>
        </message>
        <message>
            <source>Scan a ticket or a person's code</source>
            <translation>Escanee un boleto o el código de una persona</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>Guardando…</translation>
        </message>
        <message>
            <source>Wait for the answer before handing over</source>
            <translation>Espere la respuesta antes de entregar nada</translation>
        </message>
    </context>
    <context>
        <name>RetentionStatus</name>
        <message>
            <source>Personal data deleted</source>
            <translation>Datos personales borrados</translation>
        </message>
        <message>
            <source>Personal data due for deletion since %1</source>
            <translation>Los datos personales debían borrarse desde el %1</translation>
        </message>
        <message>
            <source>Personal data to be deleted on %1</source>
            <translation>Los datos personales se borrarán el %1</translation>
        </message>
    </context>
    <context>
        <name>ScanDesks</name>
        <message>
            <source>Scan kept: no desk is open yet. It is checked in as soon as the desk opens.</source>
            <translation>Escaneo guardado: todavía no hay una mesa abierta. Se registra la llegada en cuanto se abra la mesa.</translation>
        </message>
    </context>
    <context>
        <name>ScanField</name>
        <message>
            <source>Scan or search</source>
            <translation>Escanear o buscar</translation>
        </message>
        <message>
            <source>Scan a code, or type a name, phone or code</source>
            <translation>Escanee un código, o escriba un nombre, teléfono o código</translation>
        </message>
    </context>
    <context>
        <name>ScanMessages</name>
        <message>
            <source>Same scan again: nothing more to hand over</source>
            <translation>Mismo escaneo otra vez: nada más que entregar</translation>
        </message>
        <message>
            <source>tickets for one person: the household's size is on the other laptop</source>
            <translation>boletos para una persona: el tamaño del hogar está en la otra computadora</translation>
        </message>
        <message>
            <source>Registered at another station: checked in here</source>
            <translation>Inscrito en otra estación: registrado aquí</translation>
        </message>
        <message>
            <source>Welcome, {name}!</source>
            <translation>¡Bienvenido(a), {name}!</translation>
        </message>
        <message>
            <source>at {when} at {where}</source>
            <translation>a las {when} en {where}</translation>
        </message>
        <message>
            <source>at {when}</source>
            <translation>a las {when}</translation>
        </message>
        <message>
            <source>{name} is already checked in</source>
            <translation>{name} ya registró su entrada</translation>
        </message>
        <message>
            <source>Ticket given to {name}</source>
            <translation>Boleto entregado a {name}</translation>
        </message>
        <message>
            <source>{type} ticket No. {serial}</source>
            <translation>Boleto de {type} n.º {serial}</translation>
        </message>
        <message>
            <source>Ticket not given to anyone yet</source>
            <translation>Este boleto todavía no se ha entregado a nadie</translation>
        </message>
        <message>
            <source>Scan or pick the person first, then scan this ticket</source>
            <translation>Primero escanee o elija a la persona, y luego escanee este boleto</translation>
        </message>
        <message>
            <source>Hand over: {type}</source>
            <translation>Entregue: {type}</translation>
        </message>
        <message>
            <source>{name}</source>
            <translation>{name}</translation>
        </message>
        <message>
            <source>Not valid at this station</source>
            <translation>No es válido en esta estación</translation>
        </message>
        <message>
            <source>{type} ticket: use it at its own station</source>
            <translation>Boleto de {type}: úselo en su propia estación</translation>
        </message>
        <message>
            <source>Limit reached</source>
            <translation>Límite alcanzado</translation>
        </message>
        <message>
            <source>{name} already has all the {type} tickets they get</source>
            <translation>{name} ya tiene todos los boletos de {type} que le corresponden</translation>
        </message>
        <message>
            <source>Out of stock</source>
            <translation>Sin existencias</translation>
        </message>
        <message>
            <source>No {type} left</source>
            <translation>No quedan existencias de {type}</translation>
        </message>
        <message>
            <source>Cancelled ticket</source>
            <translation>Boleto anulado</translation>
        </message>
        <message>
            <source>This {type} ticket was cancelled</source>
            <translation>Este boleto de {type} fue anulado</translation>
        </message>
        <message>
            <source>Not found</source>
            <translation>No encontrado</translation>
        </message>
        <message>
            <source>This code is not in this event file</source>
            <translation>Este código no está en el archivo de este evento</translation>
        </message>
        <message>
            <source>Wrong event</source>
            <translation>Evento equivocado</translation>
        </message>
        <message>
            <source>This code belongs to a different event</source>
            <translation>Este código es de otro evento</translation>
        </message>
        <message>
            <source>Not genuine</source>
            <translation>No auténticos</translation>
        </message>
        <message>
            <source>This code was not made by this event</source>
            <translation>Este código no lo generó este evento</translation>
        </message>
        <message>
            <source>Typo in the code</source>
            <translation>Error en el código</translation>
        </message>
        <message>
            <source>Check the characters and type it again</source>
            <translation>Revise los caracteres y escríbalo de nuevo</translation>
        </message>
        <message>
            <source>Not a check-in code</source>
            <translation>No es un código de registro</translation>
        </message>
        <message>
            <source>That was not a code of this app</source>
            <translation>Eso no era un código de esta aplicación</translation>
        </message>
        <message>
            <source>Flyer: {campaign}</source>
            <translation>Volante: {campaign}</translation>
        </message>
        <message>
            <source>Register the person as a walk-up (F2), or scan their code first</source>
            <translation>Registre a la persona sin registro previo (F2), o escanee primero su código</translation>
        </message>
        <message>
            <source>Flyer recorded</source>
            <translation>Volante registrado</translation>
        </message>
        <message>
            <source>{name} heard about us from {campaign}</source>
            <translation>{name} supo de nosotros por {campaign}</translation>
        </message>
        <message>
            <source>Winner! Hand over: {prize}</source>
            <translation>¡Ganador! Entregue: {prize}</translation>
        </message>
        <message>
            <source>Ticket No. {serial}</source>
            <translation>Boleto n.º {serial}</translation>
        </message>
        <message>
            <source>Prize already handed over</source>
            <translation>El premio ya se entregó</translation>
        </message>
        <message>
            <source>{prize} at {when}</source>
            <translation>{prize} a las {when}</translation>
        </message>
        <message>
            <source>Not a winner this time</source>
            <translation>Esta vez no ganó</translation>
        </message>
        <message>
            <source>Ticket No. {serial}: good luck next draw!</source>
            <translation>Boleto n.º {serial}: ¡buena suerte en el próximo sorteo!</translation>
        </message>
        <message>
            <source>{name} already has all {n} {type} tickets: keep this ticket for someone else. If they should get more, ask the organiser</source>
            <translation>{name} ya tiene sus {n} boletos de {type}: guarde este boleto para otra persona. Si le corresponden más, pregunte al organizador</translation>
        </message>
        <message>
            <source>{name} got all {n} {type} tickets at check-in. To hand out pre-printed ones too, raise Quantity for {type} in Setup → Ticket types and set At check-in below it</source>
            <translation>{name} recibió sus {n} boletos de {type} al registrarse. Para entregar también boletos preimpresos, suba la Cantidad de {type} en Configuración → Tipos de boleto y ponga Al registrarse por debajo de ella</translation>
        </message>
        <message>
            <source>{name} already has all {n} {type} tickets. To give more, raise Quantity for {type} in Setup → Ticket types</source>
            <translation>{name} ya tiene sus {n} boletos de {type}. Para dar más, suba la Cantidad de {type} en Configuración → Tipos de boleto</translation>
        </message>
        <message>
            <source>Internal error: this scan was NOT saved</source>
            <translation>Error interno: este escaneo NO se guardó</translation>
        </message>
        <message>
            <source>Scan again; if it repeats, tell the organiser</source>
            <translation>Escanee de nuevo; si se repite, avise al organizador</translation>
        </message>
        <message>
            <source>NOT saved: scan again</source>
            <translation>NO se guardó: escanee de nuevo</translation>
        </message>
        <message>
            <source>Handed over</source>
            <translation>Entregado</translation>
        </message>
        <message>
            <source>Winner: prize handed over</source>
            <translation>Ganador: premio entregado</translation>
        </message>
        <message>
            <source>lost</source>
            <translation>perdido</translation>
        </message>
        <message>
            <source>stolen</source>
            <translation>robado</translation>
        </message>
        <message>
            <source>damaged</source>
            <translation>dañado</translation>
        </message>
        <message>
            <source>Voided ticket ({reason}, {when})</source>
            <translation>Boleto anulado ({reason}, {when})</translation>
        </message>
        <message>
            <source>{type} ticket No. {serial}: do not hand anything over</source>
            <translation>Boleto de {type} n.º {serial}: no entregue nada</translation>
        </message>
        <message>
            <source>Already used</source>
            <translation>Ya se usó</translation>
        </message>
        <message>
            <source>{type} ticket No. {serial} was used at {when} at {where}: a ticket is good once, nothing to hand over</source>
            <translation>El boleto de {type} n.º {serial} se usó a las {when} en {where}: cada boleto vale una vez, nada que entregar</translation>
        </message>
        <message>
            <source>Sponsored by {sponsor}</source>
            <translation>Patrocinado por {sponsor}</translation>
        </message>
        <message>
            <source>Ticket No. {serial} of {name}</source>
            <translation>Boleto n.º {serial} de {name}</translation>
        </message>
        <message>
            <source>{prize} was already handed over for this ticket at {when}</source>
            <translation>{prize} ya se entregó por este boleto a las {when}</translation>
        </message>
        <message>
            <source>This is a {type} ticket, not a raffle ticket</source>
            <translation>Este es un boleto de {type}, no un boleto de rifa</translation>
        </message>
        <message>
            <source>Ticket No. {serial} won {prize}, but nobody came for it, so it was drawn again at {when}. Sorry!</source>
            <translation>El boleto n.º {serial} ganó {prize}, pero nadie vino a recogerlo, así que se volvió a sortear a las {when}. ¡Lo sentimos!</translation>
        </message>
        <message>
            <source>Ticket No. {serial} was never given out at the check-in desk, so it cannot win. Send them to the check-in desk first.</source>
            <translation>El boleto n.º {serial} nunca se entregó en la mesa de entrada, así que no puede ganar. Envíe a la persona primero a la mesa de entrada.</translation>
        </message>
        <message>
            <source>Ticket No. {serial} has not won (yet). Good luck!</source>
            <translation>El boleto n.º {serial} no ha ganado (todavía). ¡Buena suerte!</translation>
        </message>
        <message>
            <source>This ticket was cancelled</source>
            <translation>Este boleto fue anulado</translation>
        </message>
        <message>
            <source>This code is not genuine: it was not made by this event</source>
            <translation>Este código no es auténtico: no lo generó este evento</translation>
        </message>
        <message>
            <source>That code has a typo: check the characters and type it again</source>
            <translation>Ese código tiene un error: revise los caracteres y escríbalo de nuevo</translation>
        </message>
        <message>
            <source>Not a code of this app</source>
            <translation>No es un código de esta aplicación</translation>
        </message>
        <message>
            <source>Scan the winning raffle ticket here, not the person's own code</source>
            <translation>Escanee aquí el boleto de rifa ganador, no el código personal</translation>
        </message>
        <message>
            <source>NOT saved: the event file could not be written. Scan again.</source>
            <translation>NO se guardó: no se pudo escribir en el archivo del evento. Escanee de nuevo.</translation>
        </message>
        <message>
            <source>This code cannot be used at the prize table</source>
            <translation>Este código no se puede usar en la mesa de premios</translation>
        </message>
        <message>
            <source>Nothing to hand over</source>
            <translation>Nada que entregar</translation>
        </message>
        <message>
            <source>1 {type} ticket</source>
            <translation>1 boleto de {type}</translation>
        </message>
        <message>
            <source>{n} {type} tickets</source>
            <translation>{n} boletos de {type}</translation>
        </message>
        <message>
            <source>Hand over: {items}</source>
            <translation>Entregue: {items}</translation>
        </message>
        <message>
            <source>{type} is out: none of {due} to hand over</source>
            <translation>{type} agotado: no se entrega ninguno de {due}</translation>
        </message>
        <message>
            <source>Only {given} {type} left: hand over {given} of {due}; {type} is now out</source>
            <translation>Solo quedaba {given} de {type}: entregue {given} de {due}; {type} ya está agotado</translation>
        </message>
        <message>
            <source>{name} · {left} of {allowed} left</source>
            <translation>{name} · quedan {left} de {allowed}</translation>
        </message>
        <message>
            <source>{left} of {allowed} left</source>
            <translation>Quedan {left} de {allowed}</translation>
        </message>
        <message>
            <source>the last at {when} at {where}</source>
            <translation>el último a las {when} en {where}</translation>
        </message>
        <message>
            <source>the last at {when}</source>
            <translation>el último a las {when}</translation>
        </message>
        <message>
            <source>All {used} {type} used</source>
            <translation>{type}: los {used} ya se usaron</translation>
        </message>
        <message>
            <source>{name}: nothing more to hand over</source>
            <translation>{name}: nada más que entregar</translation>
        </message>
        <message>
            <source>If that seems wrong, ask the organiser</source>
            <translation>Si parece un error, pregunte al organizador</translation>
        </message>
        <message>
            <source>To give more, raise Quantity for {type} in Setup → Ticket types</source>
            <translation>Para dar más, suba la Cantidad de {type} en Configuración → Tipos de boleto</translation>
        </message>
        <message>
            <source>Entitled: scan a {type} ticket from the stack</source>
            <translation>Le corresponde: escanee un boleto de {type} de la pila</translation>
        </message>
        <message>
            <source>{name} may have {left} more: the pre-printed ticket you scan now is theirs and handed over</source>
            <translation>A {name} le corresponden {left} más: el boleto preimpreso que escanee ahora es suyo y se entrega</translation>
        </message>
        <message>
            <source>Not checked in yet</source>
            <translation>Aún no se registró</translation>
        </message>
        <message>
            <source>Send {name} to the check-in desk first, then scan their code here</source>
            <translation>Envíe a {name} primero a la mesa de registro y luego escanee su código aquí</translation>
        </message>
        <message>
            <source>No {type} left. </source>
            <translation>No quedan existencias de {type}. </translation>
        </message>
        <message>
            <source>Nothing to hand over: tell the organiser</source>
            <translation>Nada que entregar: avise al organizador</translation>
        </message>
        <message>
            <source>If more arrived, raise Stock for {type} in Setup → Ticket types</source>
            <translation>Si llegaron más, suba las Existencias de {type} en Configuración → Tipos de boleto</translation>
        </message>
        <message>
            <source>No {type} for this household</source>
            <translation>Este hogar no recibe {type}</translation>
        </message>
        <message>
            <source>{name}'s household gets no {type}. </source>
            <translation>El hogar de {name} no recibe {type}. </translation>
        </message>
        <message>
            <source>Check the household's size (adults, kids, seniors) and the rule for {type} in Setup</source>
            <translation>Revise el tamaño del hogar (adultos, niños, mayores) y la regla de {type} en Configuración</translation>
        </message>
        <message>
            <source>{type} is not given out here</source>
            <translation>{type} no se entrega aquí</translation>
        </message>
        <message>
            <source>Send them to a station that gives out {type}, or ask the organiser</source>
            <translation>Envíelos a una estación que entregue {type}, o pregunte al organizador</translation>
        </message>
        <message>
            <source>Send them to a station that gives out {type}, or add this station to the stations of {type} in Setup → Ticket types</source>
            <translation>Envíelos a una estación que entregue {type}, o agregue esta estación a las estaciones de {type} en Configuración → Tipos de boleto</translation>
        </message>
        <message>
            <source>{type} ticket of {name}</source>
            <translation>Boleto de {type} de {name}</translation>
        </message>
        <message>
            <source>Ticket No. {serial} is theirs: use it at its own station</source>
            <translation>El boleto n.º {serial} es suyo: úselo en su propia estación</translation>
        </message>
        <message>
            <source>Check-in happens at the desk</source>
            <translation>El registro se hace en la mesa de entrada</translation>
        </message>
    </context>
    <context>
        <name>ScanStates</name>
        <message>
            <source>Checked in</source>
            <translation>Registrados</translation>
        </message>
        <message>
            <source>Already checked in</source>
            <translation>Ya registrados</translation>
        </message>
        <message>
            <source>Pre-printed tickets given out</source>
            <translation>Boletos preimpresos entregados</translation>
        </message>
        <message>
            <source>Pre-printed tickets scanned with nobody on screen</source>
            <translation>Boletos preimpresos escaneados sin nadie en pantalla</translation>
        </message>
        <message>
            <source>Handed over</source>
            <translation>Entregado</translation>
        </message>
        <message>
            <source>Already used</source>
            <translation>Ya se usó</translation>
        </message>
        <message>
            <source>Not valid at this station</source>
            <translation>No es válido en esta estación</translation>
        </message>
        <message>
            <source>Limit reached</source>
            <translation>Límite alcanzado</translation>
        </message>
        <message>
            <source>Out of stock</source>
            <translation>Sin existencias</translation>
        </message>
        <message>
            <source>Entitled, sent to the pre-printed stack or the desk</source>
            <translation>Con derecho, enviados a la pila de preimpresos o a la mesa</translation>
        </message>
        <message>
            <source>Cancelled tickets</source>
            <translation>Boletos anulados</translation>
        </message>
        <message>
            <source>Not in this event file</source>
            <translation>No están en este archivo del evento</translation>
        </message>
        <message>
            <source>From another event</source>
            <translation>De otro evento</translation>
        </message>
        <message>
            <source>Not genuine</source>
            <translation>No auténticos</translation>
        </message>
        <message>
            <source>Mistyped codes</source>
            <translation>Códigos mal escritos</translation>
        </message>
        <message>
            <source>Not a code</source>
            <translation>No es un código</translation>
        </message>
        <message>
            <source>Flyers recorded</source>
            <translation>Volantes registrados</translation>
        </message>
        <message>
            <source>Flyers scanned with nobody on screen</source>
            <translation>Volantes escaneados sin nadie en pantalla</translation>
        </message>
        <message>
            <source>Prizes handed over</source>
            <translation>Premios entregados</translation>
        </message>
        <message>
            <source>Prizes already handed over</source>
            <translation>Premios ya entregados</translation>
        </message>
        <message>
            <source>Not a winner</source>
            <translation>No ganadores</translation>
        </message>
        <message>
            <source>NOT saved</source>
            <translation>NO guardados</translation>
        </message>
    </context>
    <context>
        <name>ScannerCheckDialog</name>
        <message>
            <source>Scanner check</source>
            <translation>Prueba del escáner</translation>
        </message>
        <message>
            <source>Scan the test card here</source>
            <translation>Escanee aquí la tarjeta de prueba</translation>
        </message>
        <message>
            <source>Scan this test card with the scanner:</source>
            <translation>Escanee esta tarjeta de prueba con el escáner:</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <source>The scanner works: the test card arrived exactly.</source>
            <translation>El escáner funciona: la tarjeta de prueba llegó exactamente igual.</translation>
        </message>
        <message>
            <source>The test card arrived as: {text}</source>
            <translation>La tarjeta de prueba llegó como: {text}</translation>
        </message>
        <message>
            <source>Ends with: {end}. Speed: {cps} characters a second.</source>
            <translation>Termina con: {end}. Velocidad: {cps} caracteres por segundo.</translation>
        </message>
    </context>
    <context>
        <name>SearchResults</name>
        <message>
            <source>Search hint</source>
            <translation>Ayuda de la búsqueda</translation>
        </message>
        <message>
            <source>Search results</source>
            <translation>Resultados de la búsqueda</translation>
        </message>
        <message>
            <source>{mark}{name}  ·  #{number}  ·  household {size}  ·  {zip}</source>
            <translation>{mark}{name}  ·  n.º {number}  ·  hogar de {size}  ·  {zip}</translation>
        </message>
        <message>
            <source>Type the person's first and last name: to protect people's privacy, this desk lists nobody by part of a name</source>
            <translation>Escriba el nombre y el apellido de la persona: para proteger la privacidad, esta mesa no muestra a nadie por una parte del nombre</translation>
        </message>
        <message numerus="yes">
            <source>Type at least %n letters: to protect people's privacy, this desk lists nobody by fewer</source>
            <translation>
                <numerusform>Escriba al menos %n letra: para proteger la privacidad, esta mesa no muestra a nadie con menos</numerusform>
                <numerusform>Escriba al menos %n letras: para proteger la privacidad, esta mesa no muestra a nadie con menos</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Showing the first %n: type more of the name to find the person</source>
            <translation>
                <numerusform>Se muestra solo %n: escriba más del nombre para encontrar a la persona</numerusform>
                <numerusform>Se muestran las primeras %n: escriba más del nombre para encontrar a la persona</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SetupPage</name>
        <message>
            <source>Setup is locked</source>
            <translation>La configuración está bloqueada</translation>
        </message>
        <message>
            <source>Event setup and the full attendee list are for organisers. Volunteers at the desk do not need them.</source>
            <translation>La configuración del evento y la lista completa de asistentes son para los organizadores. Los voluntarios de la mesa no las necesitan.</translation>
        </message>
        <message>
            <source>&amp;Unlock with the organiser passphrase</source>
            <translation>&amp;Desbloquear con la frase de acceso del organizador</translation>
        </message>
        <message>
            <source>Unlock setup</source>
            <translation>Desbloquear la configuración</translation>
        </message>
    </context>
    <context>
        <name>SetupSections</name>
        <message>
            <source>&amp;Event</source>
            <translation>&amp;Evento</translation>
        </message>
        <message>
            <source>&amp;Ticket types</source>
            <translation>&amp;Tipos de boleto</translation>
        </message>
        <message>
            <source>&amp;Stations</source>
            <translation>E&amp;staciones</translation>
        </message>
        <message>
            <source>&amp;Raffle</source>
            <translation>&amp;Rifa</translation>
        </message>
        <message>
            <source>&amp;Attendees</source>
            <translation>&amp;Asistentes</translation>
        </message>
        <message>
            <source>Setup sections</source>
            <translation>Secciones de la configuración</translation>
        </message>
        <message>
            <source>Event setup</source>
            <translation>Configuración del evento</translation>
        </message>
        <message>
            <source>Lock organiser screens</source>
            <translation>Bloquear las pantallas del organizador</translation>
        </message>
    </context>
    <context>
        <name>ShiftSummary</name>
        <message>
            <source>check-in</source>
            <translation>registro</translation>
        </message>
        <message>
            <source>redemption</source>
            <translation>canje</translation>
        </message>
        <message>
            <source>ticket handed out</source>
            <translation>boleto entregado</translation>
        </message>
        <message>
            <source>tickets issued</source>
            <translation>boletos emitidos</translation>
        </message>
        <message>
            <source>flyer recorded</source>
            <translation>volante registrado</translation>
        </message>
        <message>
            <source>Station {station}, volunteer {volunteer}, since {time}:</source>
            <translation>Estación {station}, voluntario/a {volunteer}, desde las {time}:</translation>
        </message>
        <message>
            <source>Check-ins: {n}</source>
            <translation>Registros: {n}</translation>
        </message>
        <message>
            <source>Walk-ups registered: {n}</source>
            <translation>Sin registro previo anotados: {n}</translation>
        </message>
        <message>
            <source>Tickets redeemed: {n}</source>
            <translation>Boletos canjeados: {n}</translation>
        </message>
        <message>
            <source>Pre-printed tickets handed out: {n}</source>
            <translation>Boletos preimpresos entregados: {n}</translation>
        </message>
        <message>
            <source>Undos: {n}</source>
            <translation>Deshechos: {n}</translation>
        </message>
        <message>
            <source>Other scan answers:</source>
            <translation>Otras respuestas a escaneos:</translation>
        </message>
        <message>
            <source>No scans yet in this shift.</source>
            <translation>Todavía no hay escaneos en este turno.</translation>
        </message>
    </context>
    <context>
        <name>Shortcuts</name>
        <message>
            <source>the volunteer guide</source>
            <translation>la guía para voluntarios</translation>
        </message>
        <message>
            <source>the colours, sounds and shortcuts</source>
            <translation>los colores, sonidos y atajos</translation>
        </message>
        <message>
            <source>register a walk-up</source>
            <translation>registrar a alguien sin registro previo</translation>
        </message>
        <message>
            <source>go to the scan / search field</source>
            <translation>ir al campo de escaneo / búsqueda</translation>
        </message>
        <message>
            <source>Up / Down, Enter</source>
            <translation>Arriba / Abajo, Enter</translation>
        </message>
        <message>
            <source>pick a search result and check them in</source>
            <translation>elegir un resultado de la búsqueda y registrar su entrada</translation>
        </message>
        <message>
            <source>clear the person on screen and the search</source>
            <translation>borrar la persona en pantalla y la búsqueda</translation>
        </message>
        <message>
            <source>undo this station's last action (asks first)</source>
            <translation>deshacer la última acción de esta estación (pregunta antes)</translation>
        </message>
        <message>
            <source>print the tickets of the person on screen</source>
            <translation>imprimir los boletos de la persona en pantalla</translation>
        </message>
        <message>
            <source>open an event file / create a new event</source>
            <translation>abrir un archivo de evento / crear un evento nuevo</translation>
        </message>
        <message>
            <source>lock the organiser screens</source>
            <translation>bloquear las pantallas del organizador</translation>
        </message>
        <message>
            <source>high contrast, large text</source>
            <translation>alto contraste, letra grande</translation>
        </message>
        <message>
            <source>full screen</source>
            <translation>pantalla completa</translation>
        </message>
        <message>
            <source>next / previous tab (Desk, Prize table, Setup...)</source>
            <translation>pestaña siguiente / anterior (Mesa, Mesa de premios, Configuración...)</translation>
        </message>
        <message>
            <source>close the desk (asks first once guests are in)</source>
            <translation>cerrar la mesa (pregunta antes si ya hay invitados registrados)</translation>
        </message>
    </context>
    <context>
        <name>StartChoice</name>
        <message>
            <source>checkin: choose an event</source>
            <translation>checkin: elija un evento</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Idioma</translation>
        </message>
        <message>
            <source>Welcome! Which event do you want to work on?</source>
            <translation>¡Bienvenido(a)! ¿Con qué evento quiere trabajar?</translation>
        </message>
        <message>
            <source>Open the &amp;demo event (to try it out or train)</source>
            <translation>Abrir el evento de &amp;demostración (para probar o capacitarse)</translation>
        </message>
        <message>
            <source>Create a &amp;new event…</source>
            <translation>Crear un evento &amp;nuevo…</translation>
        </message>
        <message>
            <source>&amp;Open an event file…</source>
            <translation>&amp;Abrir un archivo de evento…</translation>
        </message>
        <message>
            <source>&amp;Join an event on this network…</source>
            <translation>&amp;Unirse a un evento de esta red…</translation>
        </message>
        <message>
            <source>Connect to a &amp;shared server…</source>
            <translation>Conectarse a un &amp;servidor compartido…</translation>
        </message>
        <message>
            <source>Demo event</source>
            <translation>Evento de demostración</translation>
        </message>
        <message>
            <source>Open an event file</source>
            <translation>Abrir un archivo de evento</translation>
        </message>
        <message>
            <source>joined: {station}</source>
            <translation>unida: {station}</translation>
        </message>
        <message>
            <source>Shared server</source>
            <translation>Servidor compartido</translation>
        </message>
        <message>
            <source>Database address, e.g. postgresql+psycopg://checkin:PASSWORD@192.168.1.10/party</source>
            <translation>Dirección de la base de datos, p. ej. postgresql+psycopg://checkin:CLAVE@192.168.1.10/party</translation>
        </message>
        <message>
            <source>The address starts with postgresql+psycopg://</source>
            <translation>La dirección empieza con postgresql+psycopg://</translation>
        </message>
    </context>
    <context>
        <name>StationsTable</name>
        <message>
            <source>Check-in desk</source>
            <translation>Mesa de registro</translation>
        </message>
        <message>
            <source>Resource station</source>
            <translation>Estación de recursos</translation>
        </message>
        <message>
            <source>Prize table</source>
            <translation>Mesa de premios</translation>
        </message>
        <message>
            <source>Station</source>
            <translation>Estación</translation>
        </message>
        <message>
            <source>Mode</source>
            <translation>Modo</translation>
        </message>
        <message>
            <source>Ticket type</source>
            <translation>Tipo de boleto</translation>
        </message>
        <message>
            <source>Stations</source>
            <translation>Estaciones</translation>
        </message>
        <message>
            <source>Station &amp;name</source>
            <translation>&amp;Nombre de la estación</translation>
        </message>
        <message>
            <source>&amp;Mode</source>
            <translation>&amp;Modo</translation>
        </message>
        <message>
            <source>Ticket t&amp;ype it gives</source>
            <translation>Tipo de boleto que entre&amp;ga</translation>
        </message>
        <message>
            <source>Station name</source>
            <translation>Nombre de la estación</translation>
        </message>
        <message>
            <source>e.g. Food tent</source>
            <translation>p. ej. Carpa de comida</translation>
        </message>
        <message>
            <source>Station mode</source>
            <translation>Modo de la estación</translation>
        </message>
        <message>
            <source>Ticket type the station redeems</source>
            <translation>Tipo de boleto que canjea la estación</translation>
        </message>
        <message>
            <source>Save station</source>
            <translation>Guardar estación</translation>
        </message>
        <message>
            <source>Add or update the station</source>
            <translation>Agregar o actualizar la estación</translation>
        </message>
        <message>
            <source>Stations status</source>
            <translation>Estado de las estaciones</translation>
        </message>
        <message>
            <source>A resource station needs a resource ticket type.</source>
            <translation>Una estación de recursos necesita un tipo de boleto de recurso.</translation>
        </message>
        <message>
            <source>Station saved</source>
            <translation>Estación guardada</translation>
        </message>
    </context>
    <context>
        <name>TicketPrinter</name>
        <message>
            <source>The printer could not start</source>
            <translation>La impresora no pudo iniciar</translation>
        </message>
        <message>
            <source>Ticket layout</source>
            <translation>Diseño del boleto</translation>
        </message>
        <message>
            <source>What paper is in this printer?</source>
            <translation>¿Qué papel tiene esta impresora?</translation>
        </message>
        <message>
            <source>Nothing to print</source>
            <translation>No hay nada que imprimir</translation>
        </message>
        <message>
            <source>No printer is available: show the code on screen for a phone photo, or print from another computer with `checkin tickets`.</source>
            <translation>No hay ninguna impresora disponible: muestre el código en pantalla para una foto con el teléfono, o imprima desde otra computadora con `checkin tickets`.</translation>
        </message>
        <message>
            <source>Sent {pages} page(s) to {printer}</source>
            <translation>Se enviaron {pages} página(s) a {printer}</translation>
        </message>
    </context>
    <context>
        <name>TicketTypesTable</name>
        <message>
            <source>Raffle ticket</source>
            <translation>Boleto de rifa</translation>
        </message>
        <message>
            <source>Resource ticket</source>
            <translation>Boleto de recurso</translation>
        </message>
        <message>
            <source>%1 per household</source>
            <translation>%1 por hogar</translation>
        </message>
        <message>
            <source>%1 per household member</source>
            <translation>%1 por integrante del hogar</translation>
        </message>
        <message>
            <source>%1 per child</source>
            <translation>%1 por niño</translation>
        </message>
        <message>
            <source>Ticket type</source>
            <translation>Tipo de boleto</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <source>Each household gets</source>
            <translation>Cada hogar recibe</translation>
        </message>
        <message>
            <source>Stock left</source>
            <translation>Existencias restantes</translation>
        </message>
        <message>
            <source>Handed out</source>
            <translation>Entregados</translation>
        </message>
        <message>
            <source>Stations</source>
            <translation>Estaciones</translation>
        </message>
        <message>
            <source>At check-in</source>
            <translation>Al registrarse</translation>
        </message>
        <message>
            <source>Ticket types</source>
            <translation>Tipos de boleto</translation>
        </message>
        <message>
            <source>Fixed number per household</source>
            <translation>Cantidad fija por hogar</translation>
        </message>
        <message>
            <source>Per household member</source>
            <translation>Por integrante del hogar</translation>
        </message>
        <message>
            <source>Per child</source>
            <translation>Por niño</translation>
        </message>
        <message>
            <source>&amp;Kind</source>
            <translation>T&amp;ipo</translation>
        </message>
        <message>
            <source>&amp;Name</source>
            <translation>&amp;Nombre</translation>
        </message>
        <message>
            <source>&amp;Quantity</source>
            <translation>&amp;Cantidad</translation>
        </message>
        <message>
            <source>R&amp;ule</source>
            <translation>Re&amp;gla</translation>
        </message>
        <message>
            <source>All</source>
            <translation>Todos</translation>
        </message>
        <message>
            <source>St&amp;ock</source>
            <translation>E&amp;xistencias</translation>
        </message>
        <message>
            <source>Stations that may re&amp;deem</source>
            <translation>Estaciones que pueden can&amp;jearlo</translation>
        </message>
        <message>
            <source>&amp;Partner contact</source>
            <translation>Contacto &amp;del socio</translation>
        </message>
        <message>
            <source>Ticket kind</source>
            <translation>Tipo de boleto (rifa o recurso)</translation>
        </message>
        <message>
            <source>Ticket type name</source>
            <translation>Nombre del tipo de boleto</translation>
        </message>
        <message>
            <source>How the number of tickets is worked out</source>
            <translation>Cómo se calcula el número de boletos</translation>
        </message>
        <message>
            <source>Quantity for the rule</source>
            <translation>Cantidad para la regla</translation>
        </message>
        <message>
            <source>Limited stock</source>
            <translation>Existencias limitadas</translation>
        </message>
        <message>
            <source>This ticket type has a limited stock</source>
            <translation>Este tipo de boleto tiene existencias limitadas</translation>
        </message>
        <message>
            <source>Stock</source>
            <translation>Existencias</translation>
        </message>
        <message>
            <source>Stations that may redeem</source>
            <translation>Estaciones que pueden canjearlo</translation>
        </message>
        <message>
            <source>Station names separated by commas; empty: any station</source>
            <translation>Nombres de estaciones separados por comas; vacío: cualquier estación</translation>
        </message>
        <message>
            <source>Partner contact text for referral slips</source>
            <translation>Texto de contacto del socio para las hojas de referencia</translation>
        </message>
        <message>
            <source>Printed on referral slips, e.g. the partner's phone and address</source>
            <translation>Se imprime en las hojas de referencia, p. ej. el teléfono y la dirección del socio</translation>
        </message>
        <message>
            <source>Issued at check-in</source>
            <translation>Se entrega al registrarse</translation>
        </message>
        <message>
            <source>Hand out this ticket type at check-in</source>
            <translation>Entregar este tipo de boleto al registrarse</translation>
        </message>
        <message>
            <source>how many: </source>
            <translation>cuántos: </translation>
        </message>
        <message>
            <source>How many at check-in</source>
            <translation>Cuántos al registrarse</translation>
        </message>
        <message>
            <source>All: the whole allowance at check-in. Fewer: the rest can be handed out from pre-printed tickets, scanned at the desk with the person on screen.</source>
            <translation>Todos: lo que le toca, completo, al registrarse. Menos: el resto se puede entregar con boletos preimpresos, escaneados en la mesa con la persona en pantalla.</translation>
        </message>
        <message>
            <source>Add ticket type</source>
            <translation>Agregar tipo de boleto</translation>
        </message>
        <message>
            <source>Add a ticket type</source>
            <translation>Agregar un tipo de boleto</translation>
        </message>
        <message>
            <source>Save changes</source>
            <translation>Guardar cambios</translation>
        </message>
        <message>
            <source>Save the selected ticket type</source>
            <translation>Guardar el tipo de boleto seleccionado</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Eliminar</translation>
        </message>
        <message>
            <source>Delete the selected ticket type</source>
            <translation>Eliminar el tipo de boleto seleccionado</translation>
        </message>
        <message>
            <source>Ticket types status</source>
            <translation>Estado de los tipos de boleto</translation>
        </message>
        <message>
            <source>No limit</source>
            <translation>Sin límite</translation>
        </message>
        <message>
            <source>Any</source>
            <translation>Cualquiera</translation>
        </message>
        <message>
            <source>No</source>
            <translation>No</translation>
        </message>
        <message>
            <source>Ticket type added</source>
            <translation>Tipo de boleto agregado</translation>
        </message>
        <message>
            <source>Ticket type saved</source>
            <translation>Tipo de boleto guardado</translation>
        </message>
        <message>
            <source>Delete the ticket type %1?</source>
            <translation>¿Eliminar el tipo de boleto %1?</translation>
        </message>
        <message>
            <source>Ticket type deleted</source>
            <translation>Tipo de boleto eliminado</translation>
        </message>
        <message>
            <source>Delete ticket type</source>
            <translation>Eliminar tipo de boleto</translation>
        </message>
    </context>
    <context>
        <name>Undo</name>
        <message>
            <source>the check-in of {name}</source>
            <translation>el registro de {name}</translation>
        </message>
        <message>
            <source>the redemption of {type} ticket No. {serial}</source>
            <translation>el canje del boleto de {type} n.º {serial}</translation>
        </message>
        <message>
            <source>the handing out of {type} ticket No. {serial}</source>
            <translation>la entrega del boleto de {type} n.º {serial}</translation>
        </message>
        <message>
            <source>the redemption of a ticket</source>
            <translation>el canje de un boleto</translation>
        </message>
        <message>
            <source>the handing out of a ticket</source>
            <translation>la entrega de un boleto</translation>
        </message>
        <message>
            <source>the edit of {name}</source>
            <translation>la edición de {name}</translation>
        </message>
        <message>
            <source>the {count} {type} tickets issued</source>
            <translation>los {count} boletos de {type} emitidos</translation>
        </message>
        <message>
            <source>the void of stock sheet {sheet}</source>
            <translation>la anulación de la hoja de boletos {sheet}</translation>
        </message>
        <message>
            <source>the void of {count} ticket(s) and their replacements</source>
            <translation>la anulación de {count} boleto(s) y sus reemplazos</translation>
        </message>
        <message>
            <source>the void of {count} ticket(s)</source>
            <translation>la anulación de {count} boleto(s)</translation>
        </message>
        <message>
            <source>the flyer recorded ({campaign})</source>
            <translation>el volante registrado ({campaign})</translation>
        </message>
        <message>
            <source>Undo {what}?</source>
            <translation>¿Deshacer {what}?</translation>
        </message>
        <message>
            <source>Take back: {items}.</source>
            <translation>Recoja: {items}.</translation>
        </message>
        <message>
            <source>Nothing to undo at this station</source>
            <translation>No hay nada que deshacer en esta estación</translation>
        </message>
        <message>
            <source>Something else happened meanwhile: look again before undoing</source>
            <translation>Mientras tanto pasó otra cosa: revise antes de deshacer</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>anulado</translation>
        </message>
        <message>
            <source>used</source>
            <translation>usado</translation>
        </message>
        <message>
            <source>given out</source>
            <translation>entregado</translation>
        </message>
        <message>
            <source>not given out</source>
            <translation>sin entregar</translation>
        </message>
        <message>
            <source>Cannot undo {what}: the ticket is now {state}</source>
            <translation>No se puede deshacer {what}: el boleto ahora está {state}</translation>
        </message>
        <message>
            <source>Undone: {what}</source>
            <translation>Deshecho: {what}</translation>
        </message>
    </context>
    <context>
        <name>VoidDialog</name>
        <message>
            <source>Void tickets</source>
            <translation>Anular boletos</translation>
        </message>
        <message>
            <source>Ticket &amp;code:</source>
            <translation>&amp;Código del boleto:</translation>
        </message>
        <message>
            <source>Scan the ticket, or type its code</source>
            <translation>Escanee el boleto o escriba su código</translation>
        </message>
        <message>
            <source>Code of the ticket to void</source>
            <translation>Código del boleto que se anula</translation>
        </message>
        <message>
            <source>&amp;Add</source>
            <translation>&amp;Agregar</translation>
        </message>
        <message>
            <source>Tickets to void</source>
            <translation>Boletos que se anulan</translation>
        </message>
        <message>
            <source>&amp;Reason:</source>
            <translation>&amp;Motivo:</translation>
        </message>
        <message>
            <source>Lost</source>
            <translation>Perdido</translation>
        </message>
        <message>
            <source>Stolen</source>
            <translation>Robado</translation>
        </message>
        <message>
            <source>Damaged</source>
            <translation>Dañado</translation>
        </message>
        <message>
            <source>&amp;Issue a replacement (printed at once)</source>
            <translation>&amp;Emitir un reemplazo (se imprime enseguida)</translation>
        </message>
        <message>
            <source>&amp;Void these tickets</source>
            <translation>A&amp;nular estos boletos</translation>
        </message>
        <message>
            <source>A pre-printed stock sheet went missing</source>
            <translation>Se perdió una hoja de boletos preimpresos</translation>
        </message>
        <message>
            <source>&amp;Sheet number:</source>
            <translation>Número de &amp;hoja:</translation>
        </message>
        <message>
            <source>Void &amp;this sheet</source>
            <translation>Anular es&amp;ta hoja</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <source>&amp;Show the replacement on screen</source>
            <translation>&amp;Mostrar el reemplazo en pantalla</translation>
        </message>
        <message>
            <source>Not a ticket of this event: {code}</source>
            <translation>No es un boleto de este evento: {code}</translation>
        </message>
        <message>
            <source>given out</source>
            <translation>entregado</translation>
        </message>
        <message>
            <source>not given out</source>
            <translation>sin entregar</translation>
        </message>
        <message>
            <source>used</source>
            <translation>usado</translation>
        </message>
        <message>
            <source>void already</source>
            <translation>ya anulado</translation>
        </message>
        <message>
            <source>{type} No. {serial} ({state})</source>
            <translation>{type} n.º {serial} ({state})</translation>
        </message>
        <message>
            <source>Scan or type the code of a ticket first.</source>
            <translation>Primero escanee o escriba el código de un boleto.</translation>
        </message>
        <message>
            <source>Locked: the organiser passphrase is needed.</source>
            <translation>Bloqueado: se necesita la contraseña del organizador.</translation>
        </message>
        <message>
            <source>Void a stock sheet</source>
            <translation>Anular una hoja de existencias</translation>
        </message>
        <message>
            <source>Void every ticket of stock sheet {sheet} that was not used yet ({reason})?

Ctrl+Z at this desk puts them back.</source>
            <translation>¿Anular todos los boletos de la hoja {sheet} que aún no se usaron ({reason})?

Ctrl+Z en este puesto los devuelve.</translation>
        </message>
        <message>
            <source>Nothing was voided.</source>
            <translation>No se anuló nada.</translation>
        </message>
        <message>
            <source>Nothing was voided: {reason}</source>
            <translation>No se anuló nada: {reason}</translation>
        </message>
        <message numerus="yes">
            <source>Voided: %n ticket(s).</source>
            <translation>
                <numerusform>Anulado: %n boleto.</numerusform>
                <numerusform>Anulados: %n boletos.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Sheet {sheet}: %n ticket(s) voided.</source>
            <translation>
                <numerusform>Hoja {sheet}: %n boleto anulado.</numerusform>
                <numerusform>Hoja {sheet}: %n boletos anulados.</numerusform>
            </translation>
        </message>
        <message>
            <source>Left as they are (used or given out): {tickets}</source>
            <translation>Se dejan como están (usados o entregados): {tickets}</translation>
        </message>
        <message>
            <source>Replacements: {tickets}</source>
            <translation>Reemplazos: {tickets}</translation>
        </message>
    </context>
    <context>
        <name>WalkupDialog</name>
        <message>
            <source>Walk-up</source>
            <translation>Sin registro previo</translation>
        </message>
        <message>
            <source>Adults</source>
            <translation>Adultos</translation>
        </message>
        <message>
            <source>Kids</source>
            <translation>Niños</translation>
        </message>
        <message>
            <source>Seniors</source>
            <translation>Mayores</translation>
        </message>
        <message>
            <source>First name (optional)</source>
            <translation>Nombre (opcional)</translation>
        </message>
        <message>
            <source>Last name (optional)</source>
            <translation>Apellido (opcional)</translation>
        </message>
        <message>
            <source>ZIP code (optional)</source>
            <translation>Código postal (opcional)</translation>
        </message>
        <message>
            <source>May we contact you? (phone or email)</source>
            <translation>¿Podemos contactarle? (teléfono o correo)</translation>
        </message>
        <message>
            <source>Phone</source>
            <translation>Teléfono</translation>
        </message>
        <message>
            <source>Email</source>
            <translation>Correo electrónico</translation>
        </message>
        <message>
            <source>Needs attention (optional)</source>
            <translation>Necesita atención (opcional)</translation>
        </message>
        <message>
            <source>e.g. uses a wheelchair</source>
            <translation>p. ej., usa silla de ruedas</translation>
        </message>
        <message>
            <source>Preferred language</source>
            <translation>Idioma preferido</translation>
        </message>
        <message>
            <source>English</source>
            <translation>Inglés</translation>
        </message>
        <message>
            <source>Spanish</source>
            <translation>Español</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>Otro</translation>
        </message>
        <message>
            <source>Count at least one person: an adult, a kid or a senior.</source>
            <translation>Cuente al menos a una persona: un adulto, un niño o un mayor.</translation>
        </message>
        <message>
            <source>Only the household size is needed. Press Enter to check in.</source>
            <translation>Solo se necesita el tamaño del hogar. Presione Enter para registrar la entrada.</translation>
        </message>
        <message>
            <source>&amp;Adults</source>
            <translation>A&amp;dultos</translation>
        </message>
        <message>
            <source>&amp;Kids</source>
            <translation>N&amp;iños</translation>
        </message>
        <message>
            <source>&amp;Seniors</source>
            <translation>&amp;Mayores</translation>
        </message>
        <message>
            <source>&amp;First name</source>
            <translation>&amp;Nombre</translation>
        </message>
        <message>
            <source>&amp;Last name</source>
            <translation>&amp;Apellido</translation>
        </message>
        <message>
            <source>&amp;ZIP code</source>
            <translation>Código &amp;postal</translation>
        </message>
        <message>
            <source>&amp;Phone</source>
            <translation>&amp;Teléfono</translation>
        </message>
        <message>
            <source>&amp;Email</source>
            <translation>&amp;Correo electrónico</translation>
        </message>
        <message>
            <source>Lan&amp;guage</source>
            <translation>Id&amp;ioma</translation>
        </message>
        <message>
            <source>Needs a&amp;ttention</source>
            <translation>Necesita a&amp;tención</translation>
        </message>
        <message>
            <source>Register and check in</source>
            <translation>Registrar y dar entrada</translation>
        </message>
    </context>
    <context>
        <name>file_key</name>
        <message>
            <source>This event file is encrypted and this laptop is not authorised to open it. Type the organiser passphrase to open it:</source>
            <translation>Este archivo del evento está cifrado y esta computadora no está autorizada para abrirlo. Escriba la frase de acceso del organizador para abrirlo:</translation>
        </message>
        <message>
            <source>Wrong passphrase. Type the organiser passphrase to open it:</source>
            <translation>Frase de acceso incorrecta. Escriba la frase de acceso del organizador para abrirlo:</translation>
        </message>
        <message>
            <source>From now on this laptop opens this event without the passphrase (for anyone using this account). Type the organiser passphrase to allow it:</source>
            <translation>De ahora en adelante esta computadora abre este evento sin la frase de acceso (para cualquiera que use esta cuenta). Escriba la frase de acceso del organizador para permitirlo:</translation>
        </message>
        <message>
            <source>Wrong passphrase. Type the organiser passphrase to allow it:</source>
            <translation>Frase de acceso incorrecta. Escriba la frase de acceso del organizador para permitirlo:</translation>
        </message>
        <message>
            <source>This laptop may now open this event without the passphrase.</source>
            <translation>Esta computadora ya puede abrir este evento sin la frase de acceso.</translation>
        </message>
    </context>
    <context>
        <name>launch</name>
        <message>
            <source>Desk 1</source>
            <translation>Mesa 1</translation>
        </message>
        <message>
            <source>A log file beside the event file belonged to another file (the event file was replaced or copied over): it was not applied, and is kept as %1. The event file opened as it is.</source>
            <translation>Un archivo de registro junto al archivo del evento pertenecía a otro archivo (el archivo del evento fue reemplazado o copiado encima): no se aplicó y se guarda como %1. El archivo del evento se abrió tal como está.</translation>
        </message>
        <message>
            <source>This event is already open in another window or program on this laptop. Both save to the same file and their counters agree, but scan at one of them only: close the other when you can.</source>
            <translation>Este evento ya está abierto en otra ventana o programa de esta computadora. Ambos guardan en el mismo archivo y sus contadores coinciden, pero escanee solo en uno: cierre el otro cuando pueda.</translation>
        </message>
        <message>
            <source>joined: {station}</source>
            <translation>unida: {station}</translation>
        </message>
        <message>
            <source>{station}: {count} scans, in {file}</source>
            <translation>{station}: {count} escaneos, en {file}</translation>
        </message>
        <message>
            <source>Scans made at this laptop while the host was away have not reached the event yet:

{lines}

Join the event again when it is hosted: they are sent by themselves (or the organiser merges the file).</source>
            <translation>Los escaneos hechos en esta computadora mientras el anfitrión no estaba aún no llegaron al evento:

{lines}

Únase de nuevo cuando haya un anfitrión del evento: se envían solos (o el organizador combina el archivo).</translation>
        </message>
    </context>
    <context>
        <name>retention</name>
        <message>
            <source>Delete personal data</source>
            <translation>Borrar datos personales</translation>
        </message>
        <message>
            <source>The day to delete the personal data of %3 has come (%1, %2 days after the event).</source>
            <translation>Llegó el día de borrar los datos personales de %3 (%1, %2 días después del evento).</translation>
        </message>
        <message>
            <source>Delete now removes the names, phone numbers, emails and notes of %1 households from the event file, and %2 files with them (backups, station copies, exports, copies kept before a restore or hosting), the hosting server's data and log lines with names. The counts, zip codes, check-ins, tickets and the report stay. This cannot be undone.</source>
            <translation>Borrar ahora quita los nombres, teléfonos, correos y notas de %1 hogares del archivo del evento, y %2 archivos que los contienen (copias de seguridad, copias de estación, exportaciones, copias guardadas antes de restaurar o de ser anfitrión), los datos del servidor del anfitrión y las líneas del registro con nombres. Los conteos, códigos postales, registros de llegada, boletos y el informe se quedan. No se puede deshacer.</translation>
        </message>
        <message>
            <source>Delete now</source>
            <translation>Borrar ahora</translation>
        </message>
        <message>
            <source>Not now</source>
            <translation>Ahora no</translation>
        </message>
        <message>
            <source>The organiser's passphrase, to delete now:</source>
            <translation>La contraseña del organizador, para borrar ahora:</translation>
        </message>
        <message>
            <source>Too many wrong tries: wait %1 s and launch again. Nothing was deleted.</source>
            <translation>Demasiados intentos fallidos: espere %1 s y vuelva a abrir. No se borró nada.</translation>
        </message>
        <message>
            <source>Wrong passphrase: nothing was deleted. It will be asked at the next launch.</source>
            <translation>Contraseña incorrecta: no se borró nada. Se volverá a preguntar al abrir la próxima vez.</translation>
        </message>
        <message>
            <source>Personal data deleted, but some files could not be removed: see below.</source>
            <translation>Datos personales borrados, pero algunos archivos no se pudieron quitar: vea abajo.</translation>
        </message>
        <message>
            <source>Personal data deleted. What was removed is listed below.</source>
            <translation>Datos personales borrados. Lo que se quitó aparece abajo.</translation>
        </message>
        <message>
            <source>The day to delete personal data has come for these copies of an event:</source>
            <translation>Llegó el día de borrar los datos personales de estas copias de un evento:</translation>
        </message>
    </context>
</TS>
