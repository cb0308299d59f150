#!/usr/bin/env node
/**
 * Gridbot test peer: the REAL Wechaty puppet-service gateway (npm
 * `wechaty-puppet-service` PuppetServer) wrapping `wechaty-puppet-mock`.
 *
 * The Python side (tests/peers/wechat_gateway.py) drives it with one JSON
 * object per line on stdin and reads one JSON object per line on stdout:
 *
 *   -> {"id": 1, "cmd": "createBot", "name": "网格助手"}
 *   <- {"id": 1, "ok": true, "contactId": "wxid_bot1"}
 *   <- {"id": 2, "ok": false, "error": "..."}
 *   <- {"event": "botSent", "kind": "text", "roomId": "...", "toId": null, "text": "...", "mentionIds": [...]}
 *   <- {"event": "botSent", "kind": "file", ..., "fileName": "x.png", "fileBase64": "...", "mediaType": "image/png"}
 *
 * stdout carries nothing but protocol lines; all logging goes to stderr.
 *
 * Usage: node gateway.mjs --port 18788 --token insecure_<uuid> [--host 127.0.0.1]
 *        [--heartbeat-ms 0] [--tls]
 * (or env GATEWAY_PORT / WECHATY_PUPPET_SERVICE_TOKEN / GATEWAY_HEARTBEAT_MS)
 *
 * TLS: the Python client speaks plaintext only, so TLS is OFF unless `--tls`
 * is given or WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_SERVER is set explicitly
 * (then PuppetServer reads that env var itself, exactly like production).
 */

/* Keep stdout clean: brolog (Wechaty's logger) prints info via console.info. */
const toStderr = (...args) => console.error(...args)
console.log = toStderr
console.info = toStderr
console.debug = toStderr

const T0 = Date.now()

function out (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function parseArgs (argv) {
  const opts = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--tls') { opts.tls = true; continue }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a)
    if (!m) { throw new Error('bad argument: ' + a) }
    opts[m[1]] = m[2] !== undefined ? m[2] : argv[++i]
  }
  return opts
}

const args = parseArgs(process.argv.slice(2))
const HOST = args.host || process.env.GATEWAY_HOST || '127.0.0.1'
const PORT = Number(args.port || process.env.GATEWAY_PORT || 0)
const TOKEN = args.token || process.env.WECHATY_PUPPET_SERVICE_TOKEN
const HEARTBEAT_MS = Number(args['heartbeat-ms'] || process.env.GATEWAY_HEARTBEAT_MS || 0)
if (!PORT) { out({ event: 'fatal', error: 'no --port / GATEWAY_PORT given' }); process.exit(2) }
if (!TOKEN) { out({ event: 'fatal', error: 'no --token / WECHATY_PUPPET_SERVICE_TOKEN given' }); process.exit(2) }
if (!process.env.WECHATY_LOG) { process.env.WECHATY_LOG = 'warn' }

const { PuppetServer } = await import('wechaty-puppet-service')
const { PuppetMock, mock } = await import('wechaty-puppet-mock')
const PUPPET = await import('wechaty-puppet')
const { FileBox } = await import('file-box')

const MT = PUPPET.types.Message

/* ------------------------------------------------------------------ ids */

let contactSeq = 0
let roomSeq = 0
let msgSeq = 0
// Message ids differ between gateway processes (like real server ids);
// contact and room ids are deterministic so a restarted gateway can be
// re-populated with the same ids.
const MSG_BASE = BigInt(Date.now()) * 1000n
const nextMessageId = () => String(MSG_BASE + BigInt(++msgSeq))

/* -------------------------------------------------------------- puppet */

const sent = []              // every botSent event, for the "sent" command
let returnSendIds = true     // the stock mock returns no id; we return the echo's id

class GatewayPuppet extends PuppetMock {
  /* The server calls puppet.messageSendText(conversationId, text, mentionIdList). */
  async messageSendText (conversationId, text, mentionIdList) {
    return botSend(conversationId, 'text', { text, mentionIds: mentionIdList || [] })
  }

  async messageSendFile (conversationId, file) {
    let name = ''
    try { name = file.name } catch (_) { /* ignore */ }
    // The bytes the gateway received, so tests can decode exactly what the bot sent.
    let bytes = null
    try { bytes = await file.toBuffer() } catch (e) { console.error('messageSendFile: unreadable file box', e) }
    return botSend(conversationId, 'file', {
      fileName: name,
      fileBox: file,
      fileBase64: bytes ? bytes.toString('base64') : null,
      mediaType: file.mediaType || null,
    })
  }

  async messageSendContact (conversationId, contactId) {
    return botSend(conversationId, 'contact', { contactId })
  }

  async messageSendUrl (conversationId, urlLinkPayload) {
    return botSend(conversationId, 'url', { url: urlLinkPayload })
  }

  async messageSendMiniProgram (conversationId, miniProgramPayload) {
    return botSend(conversationId, 'miniProgram', { miniProgram: miniProgramPayload })
  }

  async messageSendLocation (conversationId, locationPayload) {
    return botSend(conversationId, 'location', { location: locationPayload })
  }
}

const mocker = new mock.Mocker()
const puppet = new GatewayPuppet({ mocker })

let botId = null
let puppetOn = false
puppet.on('start', () => { puppetOn = true })
puppet.on('stop', () => { puppetOn = false })
puppet.on('login', ({ contactId }) => out({ event: 'login', contactId }))
puppet.on('logout', ({ contactId, data }) => out({ event: 'logout', contactId, data }))

/*
 * Mocker environment: runs on every mocker.start(), i.e. every time a client
 * calls Start (the Python client calls Stop then Start, and Stop logs the
 * puppet out). Logging the bot in here is what makes the client see `login`.
 */
mocker.use(function gridbotEnvironment () {
  if (botId && !puppet.isLoggedIn) { puppet.login(botId) }
  return () => {}
})

/*
 * Is a client's event stream open? EventStreamManager registers a puppet
 * 'message' listener while a gRPC Event stream is attached (nothing else in
 * this process listens to 'message'). Events emitted with no stream are lost.
 */
const streamOpen = () => puppet.listenerCount('message') > 0
puppet.on('newListener', (name) => {
  if (name === 'message') { setImmediate(() => out({ event: 'streamOpen' })) }
})
puppet.on('removeListener', (name) => {
  if (name === 'message') { setImmediate(() => { if (!streamOpen()) { out({ event: 'streamClosed' }) } }) }
})

/* ----------------------------------------------------------- helpers */

const isRoomId = (id) => /@/.test(id)   // the mock's own convention (`xxx@chatroom`)

function conversationOf (id) {
  return isRoomId(id) ? mocker.RoomMock.load(id) : mocker.ContactMock.load(id)
}

const FILE_TYPES = {
  Image: { name: 'photo.jpg', mime: 'image/jpeg' },
  Audio: { name: 'voice.silk', mime: 'audio/silk' },
  Video: { name: 'video.mp4', mime: 'video/mp4' },
  Attachment: { name: 'document.pdf', mime: 'application/pdf' },
}
// 1x1 white JPEG-ish bytes are irrelevant: the mock never decodes them.
const TINY_B64 = Buffer.from('gridbot-test-media').toString('base64')

/**
 * Emit a message from talkerId into a room or to a contact, mirroring
 * ContactMock.say().to() but returning the message id and allowing any type.
 */
function speak ({ talkerId, roomId, listenerId, type = MT.Text, text, mentionIds = [], fileBox }) {
  const id = nextMessageId()
  const payload = { id, talkerId, timestamp: Date.now(), type }
  if (text !== undefined && text !== null) { payload.text = text }
  if (roomId) {
    payload.roomId = roomId
    payload.mentionIdList = mentionIds
  } else {
    payload.listenerId = listenerId
  }
  if (fileBox) {
    try { payload.filename = fileBox.name } catch (_) { /* no name */ }
    try { mocker.cacheFileBoxPayload.set(id, fileBox.toJSON()) } catch (_) { /* stream-type FileBox */ }
  }
  mocker.MessageMock.create(payload)
  const delivered = streamOpen()
  puppet.emit('message', { messageId: id })
  return { messageId: id, delivered }
}

function botSend (conversationId, kind, extra) {
  if (!puppet.isLoggedIn) { throw new Error('not logged in') }
  conversationOf(conversationId) // throws for unknown ids, like a real gateway would fail
  const room = isRoomId(conversationId)
  const ev = {
    event: 'botSent',
    kind,
    conversationId,
    roomId: room ? conversationId : null,
    toId: room ? null : conversationId,
    text: extra.text ?? null,
    mentionIds: extra.mentionIds || [],
  }
  if (extra.fileName !== undefined) { ev.fileName = extra.fileName }
  if (extra.fileBase64 !== undefined) { ev.fileBase64 = extra.fileBase64; ev.mediaType = extra.mediaType }
  if (extra.contactId !== undefined) { ev.contactId = extra.contactId }
  if (extra.url !== undefined) { ev.url = extra.url }
  if (extra.miniProgram !== undefined) { ev.miniProgram = extra.miniProgram }
  if (extra.location !== undefined) { ev.location = extra.location }

  // The real service echoes the bot's own sends back as `message` events.
  let type = MT.Text
  let text = extra.text
  if (kind === 'file') { type = MT.Attachment; text = undefined }
  else if (kind === 'contact') { type = MT.Contact; text = undefined }
  else if (kind === 'url') { type = MT.Url; text = undefined }
  else if (kind === 'miniProgram') { type = MT.MiniProgram; text = undefined }
  else if (kind === 'location') { type = MT.Location; text = undefined }
  const { messageId } = speak({
    talkerId: puppet.currentUserId,
    roomId: room ? conversationId : undefined,
    listenerId: room ? undefined : conversationId,
    type,
    text,
    mentionIds: ev.mentionIds,
    fileBox: extra.fileBox,
  })
  ev.messageId = messageId
  sent.push(ev)
  out(ev)
  return returnSendIds ? messageId : undefined
}

function contactPayloadFor ({ contactId, name, alias, friend = true, gender, weixin }) {
  return {
    id: contactId,
    name,
    alias: alias || undefined,
    avatar: '',
    address: '',
    city: '',
    province: '',
    signature: '',
    friend,
    gender: gender ?? PUPPET.types.ContactGender.Unknown,
    phone: [],
    star: false,
    type: PUPPET.types.Contact.Individual,
    weixin: weixin || undefined,
  }
}

function need (c, ...keys) {
  for (const k of keys) {
    if (c[k] === undefined || c[k] === null) { throw new Error(`${c.cmd}: missing "${k}"`) }
  }
}

function messageTypeOf (t) {
  if (typeof t === 'number') { return t }
  if (typeof t === 'string' && t in MT) { return MT[t] }
  throw new Error('unknown message type ' + JSON.stringify(t) + '; one of ' +
    Object.keys(MT).filter(k => isNaN(Number(k))).join(','))
}

/* ----------------------------------------------------------- commands */

const commands = {
  ping: () => ({ pong: true, streamOpen: streamOpen(), loggedIn: puppet.isLoggedIn, puppetOn }),

  status: () => ({
    streamOpen: streamOpen(),
    loggedIn: puppet.isLoggedIn,
    puppetOn,
    botId,
    contacts: mocker.cacheContactPayload.size,
    rooms: mocker.cacheRoomPayload.size,
    sent: sent.length,
  }),

  /** The WeChat account the bot runs as. Logged in now if the puppet is on, else on next Start. */
  createBot: (c) => {
    need(c, 'name')
    if (botId) { throw new Error('bot already created: ' + botId) }
    const contactId = c.contactId || `wxid_bot${++contactSeq}`
    mocker.createContact(contactPayloadFor({ ...c, contactId }))
    botId = contactId
    if (puppetOn && !puppet.isLoggedIn) { puppet.login(botId) }
    return { contactId }
  },

  createContact: (c) => {
    need(c, 'name')
    const contactId = c.contactId || `wxid_c${++contactSeq}`
    mocker.createContact(contactPayloadFor({ ...c, contactId }))
    return { contactId }
  },

  createRoom: (c) => {
    need(c, 'topic', 'memberIds')
    const roomId = c.roomId || `${20000000000 + (++roomSeq)}@chatroom`
    for (const m of c.memberIds) { mocker.ContactMock.load(m) }
    mocker.createRoom({
      id: roomId,
      topic: c.topic,
      memberIdList: [...c.memberIds],
      ownerId: c.ownerId || c.memberIds[0],
      adminIdList: c.adminIds || [],
      avatar: '',
    })
    return { roomId }
  },

  /** A resident says text in a room (roomId) or privately (toContactId, default: the bot). */
  say: (c) => {
    need(c, 'contactId', 'text')
    mocker.ContactMock.load(c.contactId)
    if (c.roomId) {
      mocker.RoomMock.load(c.roomId)
      return speak({ talkerId: c.contactId, roomId: c.roomId, text: c.text, mentionIds: c.mentionIds || [] })
    }
    const listenerId = c.toContactId || botId
    if (!listenerId) { throw new Error('say: no roomId/toContactId and no bot yet') }
    mocker.ContactMock.load(listenerId)
    return speak({ talkerId: c.contactId, listenerId, text: c.text })
  },

  /**
   * Non-text message: type is a wechaty-puppet MessageType name (Image, Audio,
   * Video, Attachment, Emoticon, Url, Contact, Location, MiniProgram,
   * Recalled, Transfer, RedEnvelope, ChatHistory, GroupNote, Unknown) or number.
   * Image/Audio/Video/Attachment carry a FileBox (messageFile works).
   */
  sayMedia: (c) => {
    need(c, 'contactId', 'type')
    const type = messageTypeOf(c.type)
    const typeName = MT[type]
    mocker.ContactMock.load(c.contactId)
    let fileBox
    if (FILE_TYPES[typeName]) {
      const f = FILE_TYPES[typeName]
      fileBox = FileBox.fromBase64(TINY_B64, c.name || f.name)
    }
    const text = c.text ?? (typeName === 'Emoticon'
      ? '<msg><emoji md5="0" cdnurl="" /></msg>'
      : undefined)
    if (c.roomId) {
      mocker.RoomMock.load(c.roomId)
      return speak({ talkerId: c.contactId, roomId: c.roomId, type, text, fileBox })
    }
    const listenerId = c.toContactId || botId
    mocker.ContactMock.load(listenerId)
    return speak({ talkerId: c.contactId, listenerId, type, text, fileBox })
  },

  /** Members join a room (room-join event unless silent). */
  roomAdd: (c) => {
    need(c, 'roomId', 'contactIds')
    const room = mocker.RoomMock.load(c.roomId)
    const invitees = c.contactIds.map(id => mocker.ContactMock.load(id))
    if (c.silent) { room.payload.memberIdList.push(...c.contactIds); return {} }
    const inviter = mocker.ContactMock.load(c.inviterId || room.payload.ownerId || c.contactIds[0])
    room.add(...invitees).by(inviter)
    return {}
  },

  roomRemove: (c) => {
    need(c, 'roomId', 'contactIds')
    const room = mocker.RoomMock.load(c.roomId)
    const removees = c.contactIds.map(id => mocker.ContactMock.load(id))
    if (c.silent) {
      room.payload.memberIdList = room.payload.memberIdList.filter(m => !c.contactIds.includes(m))
      return {}
    }
    const remover = mocker.ContactMock.load(c.removerId || room.payload.ownerId || c.contactIds[0])
    room.remove(...removees).by(remover)
    return {}
  },

  roomTopic: (c) => {
    need(c, 'roomId', 'topic')
    const room = mocker.RoomMock.load(c.roomId)
    if (c.silent) { room.payload.topic = c.topic; return {} }
    const changer = mocker.ContactMock.load(c.changerId || room.payload.ownerId)
    room.topic(c.topic).by(changer)
    return {}
  },

  /** Change a contact's alias/name in the payload (what contact_payload() returns). */
  setContact: (c) => {
    need(c, 'contactId')
    const p = mocker.contactPayload(c.contactId)
    if ('alias' in c) { p.alias = c.alias || undefined }
    if ('name' in c) { p.name = c.name }
    return {}
  },

  /** WeChat kicks the bot out (logout event), and logs it back in. */
  logout: async () => { await puppet.logout('gateway logout command'); return {} },
  login: () => {
    if (!botId) { throw new Error('no bot') }
    if (!puppet.isLoggedIn) { puppet.login(botId) }
    return {}
  },

  sent: () => ({ sent }),
  clearSent: () => { sent.length = 0; return {} },
  config: (c) => {
    if ('returnSendIds' in c) { returnSendIds = !!c.returnSendIds }
    return { returnSendIds }
  },

  /** Emit a puppet error event (reaches the client as an `error` event). */
  emitError: (c) => { puppet.emit('error', new Error(c.message || 'gateway test error')); return {} },

  stop: async () => { setImmediate(() => shutdown(0)); return {} },
}

/* ------------------------------------------------------------ server */

const server = new PuppetServer({
  endpoint: `${HOST}:${PORT}`,
  puppet,
  token: TOKEN,
  // undefined → PuppetServer reads WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_SERVER itself
  tls: (args.tls || process.env.WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_SERVER !== undefined)
    ? undefined
    : { disable: true },
})

let stopping = false
async function shutdown (code) {
  if (stopping) { return }
  stopping = true
  const hard = setTimeout(() => process.exit(code), 2000)
  hard.unref()
  try { await server.stop() } catch (e) { console.error('server.stop()', e) }
  try { if (puppetOn) { await puppet.stop() } } catch (e) { console.error('puppet.stop()', e) }
  out({ event: 'stopped' })
  process.exit(code)
}

process.on('SIGTERM', () => shutdown(0))
process.on('SIGINT', () => shutdown(0))
process.on('uncaughtException', (e) => { console.error('uncaughtException', e); out({ event: 'uncaught', error: String(e && e.stack || e) }) })
process.on('unhandledRejection', (e) => { console.error('unhandledRejection', e); out({ event: 'uncaught', error: String(e && e.stack || e) }) })

try {
  await server.start()
} catch (e) {
  out({ event: 'fatal', error: `PuppetServer.start() on ${HOST}:${PORT} failed: ${e && e.message || e}` })
  process.exit(1)
}

let heartbeatTimer
if (HEARTBEAT_MS > 0) {
  heartbeatTimer = setInterval(() => {
    if (puppet.isLoggedIn) { puppet.emit('heartbeat', { data: 'gateway heartbeat' }) }
  }, HEARTBEAT_MS)
  heartbeatTimer.unref()
}

/* ------------------------------------------------------------- stdin */

const readline = await import('node:readline')
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', async (line) => {
  if (!line.trim()) { return }
  let c
  try { c = JSON.parse(line) } catch (e) { out({ ok: false, error: 'bad JSON: ' + e.message }); return }
  const fn = commands[c.cmd]
  if (!fn) { out({ id: c.id, ok: false, error: 'unknown cmd ' + JSON.stringify(c.cmd) }); return }
  try {
    const result = await fn(c)
    out({ id: c.id, ok: true, ...result })
  } catch (e) {
    out({ id: c.id, ok: false, error: String(e && e.message || e) })
  }
})
// Parent gone (pytest crashed / killed): do not linger holding the port.
rl.on('close', () => shutdown(0))

out({ event: 'listening', host: HOST, port: PORT, pid: process.pid, startupMs: Date.now() - T0 })
